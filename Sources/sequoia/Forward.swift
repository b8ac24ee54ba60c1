import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia forward`: runs a checkpoint folder on inputs from a safetensors file and writes
/// logits, hidden states, loss and (optionally) every parameter gradient under the names the
/// parity fixtures use, so a converted checkpoint can be compared with its reference.
enum ForwardOptions {
    static let input = Option("input", "FILE", help: "safetensors with input_ids (masked LM: masked_input_ids) and optional labels").required
    static let output = Option("output", "FILE", help: "safetensors to write: logits, hidden_states.<i>, loss, grad.<name>").required
    static let grads = Flag("grads", help: "also write the gradient of the loss for every parameter (needs labels)")
}

let forwardCommand = Job(
    name: "forward",
    summary: "run a model folder (config.json + model.safetensors) on input ids and write its outputs",
    options: [StandardOptions.model, ForwardOptions.input, ForwardOptions.output, ForwardOptions.grads]
) { options in
    let model = try ModelDirectory.load(URL(fileURLWithPath: try options[StandardOptions.model]))
    let inputPath = try options[ForwardOptions.input]
    guard FileManager.default.fileExists(atPath: inputPath) else { throw CommandError("\(inputPath): no such file") }
    let inputs = try SafeTensors(contentsOf: URL(fileURLWithPath: inputPath))
    let outputs: [String: Tensor]
    do {
        outputs = try ReferenceRun.run(model, inputs: inputs, gradients: options[ForwardOptions.grads])
    } catch let error as ReferenceRun.MissingInput {
        throw CommandError("\(inputPath): \(error)")
    }
    let output = try options[ForwardOptions.output]
    try SafeTensors.write(outputs, to: URL(fileURLWithPath: output))
    print("wrote \(outputs.count) tensors to \(output)")
}
