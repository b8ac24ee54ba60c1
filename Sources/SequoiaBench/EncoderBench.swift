import Foundation
import SequoiaModels
import SequoiaTensor

/// Frames/s of the MobileNetV2 frame encoder (to the last feature map) on random frames, printed as
/// JSON; scripts/bench/torch_mobilenet.py measures PyTorch on the same weights and shapes.
enum EncoderBench {
    static func run(_ args: [String]) throws {
        func value(_ name: String) -> String? {
            args.firstIndex(of: "--\(name)").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
        }
        let weights = URL(fileURLWithPath: value("weights") ?? "Plugins/Video/Resources/mobilenetv2_imagenet")
        let batch = Int(value("batch") ?? "8")!, size = Int(value("size") ?? "224")!
        let minSeconds = Double(value("min-seconds") ?? "2")!
        let encoder = try MobileNetV2(directory: weights)
        var rng = RandomGenerator(seed: 1)
        let frames = Tensor.randn([batch, size, size, 3], rng: &rng)
        let seconds = measure(minRuns: 3, minSeconds: minSeconds) { _ = encoder.featureMap(frames) }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let result: [String: Any] = ["frames_per_s": Double(batch) / seconds, "seconds": seconds, "batch": batch, "size": size,
                                     "peak_rss_mb": Double(usage.ru_maxrss) / 1024]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }
}
