import SequoiaNN
import SequoiaTensor

/// Runs a model the way the parity fixtures were made: forward on `input_ids` (masked
/// models: `masked_input_ids`), loss against `labels` when given, and optionally the gradient
/// of every parameter. Output names match the fixtures' io.safetensors: `logits`,
/// `hidden_states.<i>`, `loss`, `grad.<parameter name>`.
public enum ReferenceRun {
    public struct MissingInput: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "the input file has no tensor '\(name)'" }
    }

    public static func run(_ model: any LanguageModel, inputs: SafeTensors, gradients: Bool) throws -> [String: Tensor] {
        let idsName = model.objective == .masked ? "masked_input_ids" : "input_ids"
        guard inputs.contains(idsName) else { throw MissingInput(name: idsName) }
        let ids = try inputs.indices(idsName)
        let labels = inputs.contains("labels") ? try inputs.indices("labels") : nil
        if gradients && labels == nil { throw MissingInput(name: "labels") }

        model.eval()
        model.zeroGrad()
        let output = gradients ? model.forward(ids) : GradMode.withoutGrad { model.forward(ids) }
        var result: [String: Tensor] = ["logits": output.logits.detached()]
        for (i, h) in output.hiddenStates.enumerated() { result["hidden_states.\(i)"] = h.detached() }
        if let labels {
            let loss = model.loss(logits: output.logits, labels: labels)
            result["loss"] = loss.detached()
            if gradients {
                loss.backward()
                for (name, p) in model.namedParameters() {
                    result["grad.\(name)"] = p.grad ?? Tensor.zeros(p.shape)
                }
            }
        }
        return result
    }
}
