import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// One backbone measurement in its own process (so peak RSS is this configuration's alone):
/// forward or forward+backward tokens/s of a randomly initialised model, printed as JSON.
/// The sizes match scripts/bench/torch_backbones.py.
enum BackboneBench {
    static func config(arch: String, dModel: Int, layers: Int, length: Int) -> [String: Any] {
        switch arch {
        case "mamba":
            return ["model_type": "mamba", "hidden_size": dModel, "state_size": 16, "num_hidden_layers": layers,
                    "expand": 2, "intermediate_size": 2 * dModel, "conv_kernel": 4, "time_step_rank": "auto",
                    "vocab_size": 16, "layer_norm_epsilon": 1e-5, "use_bias": false, "use_conv_bias": true,
                    "tie_word_embeddings": true]
        case "hyena":
            return ["model_type": "hyenadna", "d_model": dModel, "n_layer": layers, "d_inner": 4 * dModel,
                    "vocab_size": 16, "max_seq_len": length, "emb_dim": 5, "filter_order": 64,
                    "short_filter_order": 3, "activation_freq": 10, "hyena_order": 2, "layer_norm_epsilon": 1e-5,
                    "pad_vocab_size_multiple": 8, "use_bias": true, "train_freq": true]
        case "attention":
            return ["model_type": "llama", "hidden_size": dModel, "intermediate_size": 4 * dModel,
                    "num_hidden_layers": layers, "num_attention_heads": 4, "num_key_value_heads": 4,
                    "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "max_position_embeddings": max(length, 2048),
                    "vocab_size": 16, "tie_word_embeddings": false]
        default:
            fatalError("unknown arch \(arch): mamba, hyena or attention")
        }
    }

    static func run(_ args: [String]) throws {
        func value(_ name: String) -> String? {
            args.firstIndex(of: "--\(name)").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
        }
        let arch = value("arch") ?? "mamba", mode = value("mode") ?? "forward"
        let length = Int(value("length") ?? "1024")!, dModel = Int(value("d-model") ?? "128")!
        let layers = Int(value("layers") ?? "2")!, minSeconds = Double(value("min-seconds") ?? "1")!
        let data = try JSONSerialization.data(withJSONObject: config(arch: arch, dModel: dModel, layers: layers, length: length))
        let model = try ModelRegistry.shared.build(config: data, seed: 0)
        var rng = RandomGenerator(seed: 1)
        let ids = IndexTensor(shape: [1, length], scalars: (0..<length).map { _ in Int32(rng.nextInt(12)) })

        let seconds = measure(minRuns: 2, minSeconds: minSeconds) {
            if mode == "forward" {
                _ = GradMode.withoutGrad { model.forward(ids) }
            } else {
                model.zeroGrad()
                let out = model.forward(ids)
                languageModelLoss(logits: out.logits, labels: ids, objective: .causal).backward()
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let result: [String: Any] = ["seconds": seconds, "tokens_per_s": Double(length) / seconds,
                                     "peak_rss_mb": Double(usage.ru_maxrss) / 1024]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self))
    }
}
