import Foundation
import SequoiaNN
import SequoiaTensor

/// MobileNetV2 (Sandler et al. 2018) as a frozen frame encoder, from a folder holding `config.json`
/// and `model.safetensors` with torchvision's names (`features.N...`). Batch norm is folded into the
/// convolutions when the weights load, and the network runs channels last: 1x1 convolutions are
/// GEMMs, depthwise 3x3 ones a SIMD pass over channels (`SequoiaTensor/Ops/ChannelsLastConv`).
public final class MobileNetV2: ImageEncoder {
    /// The folder's config.json.
    public struct Config: Codable, Sendable {
        public var architecture: String
        public var widthMult: Double
        public var inputSize: Int
        public var lastChannel: Int
        /// (expansion t, output channels c, blocks n, first stride s) per stage.
        public var invertedResidualSetting: [[Int]]
        public var batchNormEps: Float
        public var activation: String
        public var normalizeMean: [Float]
        public var normalizeStd: [Float]
    }

    /// One inverted residual block, folded.
    struct Block {
        var expand: (weight: Tensor, bias: Tensor)?
        var depthwise: (weight: Tensor, bias: Tensor)
        var stride: Int
        var project: (weight: Tensor, bias: Tensor)
        var residual: Bool
    }

    public let config: Config
    let stem: (weight: Tensor, bias: Tensor)
    let blocks: [Block]
    let head: (weight: Tensor, bias: Tensor)

    public var inputSize: Int { config.inputSize }
    public var featureChannels: Int { config.lastChannel }
    public var normalization: (mean: [Float], std: [Float]) { (config.normalizeMean, config.normalizeStd) }
    /// features.0 (the stem), features.1 ... features.17 (the blocks), features.18 (the head).
    public var stageCount: Int { blocks.count + 2 }

    public init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw ModelDirectoryError(description: "\(configURL.path): cannot read the encoder config")
        }
        do { config = try ModelConfigCoding.decoder().decode(Config.self, from: data) } catch {
            throw ModelDirectoryError(description: "\(configURL.path): \(ModelConfigCoding.describe(error))")
        }
        guard config.architecture == "MobileNetV2", config.widthMult == 1, config.activation == "relu6",
              config.invertedResidualSetting.allSatisfy({ $0.count == 4 }), config.normalizeMean.count == 3, config.normalizeStd.count == 3 else {
            throw ModelDirectoryError(description: "\(configURL.path): not a MobileNetV2 config this encoder builds "
                + "(architecture MobileNetV2, width_mult 1, relu6, (t, c, n, s) settings, 3-channel normalisation)")
        }
        let weights = try FoldedWeights(directory.appendingPathComponent(ModelDirectory.weightsFile), eps: config.batchNormEps)
        stem = try weights.conv("features.0.0", bn: "features.0.1", out: 32, in: 3, kernel: 3, channelsLast: true)
        var blocks: [Block] = []
        var channels = 32, index = 1
        for setting in config.invertedResidualSetting {
            let (t, c, n, s) = (setting[0], setting[1], setting[2], setting[3])
            for i in 0..<n {
                let name = "features.\(index).conv", hidden = channels * t
                let expand = t == 1 ? nil : try weights.conv("\(name).0", bn: "\(name).1", out: hidden, in: channels, kernel: 1)
                let d = t == 1 ? 0 : 3
                let depthwise = try weights.conv("\(name).\(d)", bn: "\(name).\(d + 1)", out: hidden, in: 1, kernel: 3)
                let project = try weights.conv("\(name).\(d + 3)", bn: "\(name).\(d + 4)", out: c, in: hidden, kernel: 1)
                let stride = i == 0 ? s : 1
                blocks.append(Block(expand: expand, depthwise: (depthwise.weight.reshaped([hidden, 3, 3]), depthwise.bias),
                                    stride: stride, project: project, residual: stride == 1 && channels == c))
                channels = c
                index += 1
            }
        }
        self.blocks = blocks
        head = try weights.conv("features.\(index).0", bn: "features.\(index).1", out: config.lastChannel, in: channels, kernel: 1)
        try weights.checkAllUsed()
    }

    public func featureMap(_ images: Tensor) -> Tensor {
        features(images, keeping: [stageCount - 1])[stageCount - 1]!
    }

    /// The outputs of the stages in `keeping` (features.N, channels last), for parity checks and
    /// for plugins that want an earlier, finer map.
    public func features(_ images: Tensor, keeping: Set<Int>) -> [Int: Tensor] {
        precondition(images.rank == 4 && images.shape[3] == 3, "MobileNetV2 takes images [B, H, W, 3], got \(images.shape)")
        var kept: [Int: Tensor] = [:]
        var h = conv2dChannelsLast(images, weight: stem.weight, bias: stem.bias, stride: 2, padding: 1, activation: .relu6)
        if keeping.contains(0) { kept[0] = h }
        for (i, block) in blocks.enumerated() {
            var x = h
            if let expand = block.expand { x = pointwiseConv(x, weight: expand.weight, bias: expand.bias, activation: .relu6) }
            x = depthwiseConv3x3(x, weight: block.depthwise.weight, bias: block.depthwise.bias, stride: block.stride, activation: .relu6)
            h = pointwiseConv(x, weight: block.project.weight, bias: block.project.bias, residual: block.residual ? h : nil)
            if keeping.contains(i + 1) { kept[i + 1] = h }
        }
        if keeping.contains(stageCount - 1) {
            kept[stageCount - 1] = pointwiseConv(h, weight: head.weight, bias: head.bias, activation: .relu6)
        }
        return kept
    }
}

/// Conv weights read by name with their batch norm folded in: w' = w gamma / sqrt(var + eps),
/// b' = beta - mean gamma / sqrt(var + eps). Failures name the file and the tensor.
private final class FoldedWeights {
    let file: SafeTensors
    let eps: Float
    private var used = Set<String>()

    init(_ url: URL, eps: Float) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelDirectoryError(description: "\(url.path): no such file")
        }
        file = try SafeTensors(contentsOf: url)
        self.eps = eps
    }

    private func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
        guard file.contains(name) else { throw ModelDirectoryError(description: "\(file.url.path): no tensor '\(name)'") }
        let found = try file.shape(name)
        guard found == shape else {
            throw ModelDirectoryError(description: "\(file.url.path): '\(name)' has shape \(found), the config needs \(shape)")
        }
        used.insert(name)
        return try file.tensor(name)
    }

    /// The conv `name` ([out, in, k, k]; in = 1 for depthwise) with the batch norm `bn` folded in, as
    /// [out, in] for 1x1 kernels, [out, in, k, k] otherwise, or [out, k, k, in] with `channelsLast`.
    func conv(_ name: String, bn: String, out: Int, in inChannels: Int, kernel: Int,
              channelsLast: Bool = false) throws -> (weight: Tensor, bias: Tensor) {
        let w = try tensor("\(name).weight", [out, inChannels, kernel, kernel])
        let gamma = try tensor("\(bn).weight", [out]), beta = try tensor("\(bn).bias", [out])
        let mean = try tensor("\(bn).running_mean", [out]), variance = try tensor("\(bn).running_var", [out])
        let perOut = inChannels * kernel * kernel
        let weight = Tensor(uninitialized: kernel == 1 ? [out, inChannels] : channelsLast ? [out, kernel, kernel, inChannels]
                                                                          : [out, inChannels, kernel, kernel])
        let bias = Tensor(uninitialized: [out])
        for o in 0..<out {
            let scale = gamma.pointer[o] / (variance.pointer[o] + eps).squareRoot()
            bias.pointer[o] = beta.pointer[o] - mean.pointer[o] * scale
            for c in 0..<inChannels {
                for i in 0..<kernel {
                    for j in 0..<kernel {
                        let source = o * perOut + (c * kernel + i) * kernel + j
                        let target = channelsLast ? o * perOut + (i * kernel + j) * inChannels + c : source
                        weight.pointer[target] = w.pointer[source] * scale
                    }
                }
            }
        }
        return (weight, bias)
    }

    func checkAllUsed() throws {
        let unused = file.names.filter { !used.contains($0) }
        guard unused.isEmpty else {
            throw ModelDirectoryError(description: "\(file.url.path) holds tensors this MobileNetV2 does not use: "
                + unused.prefix(3).joined(separator: ", ") + (unused.count > 3 ? " and \(unused.count - 3) more" : ""))
        }
    }
}
