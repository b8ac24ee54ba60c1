import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia forward`: runs a checkpoint folder on inputs from a safetensors file and writes
/// logits, hidden states, loss and (optionally) every parameter gradient under the names the
/// parity fixtures use, so a converted checkpoint can be compared with its reference.
let forwardCommand = Job(
    name: "forward",
    summary: "run a model folder (config.json + model.safetensors) on input ids and write its outputs",
    options: [
        .value("model", "DIR", help: "folder with config.json and model.safetensors", required: true),
        .value("input", "FILE", help: "safetensors with input_ids (masked LM: masked_input_ids) and optional labels", required: true),
        .value("output", "FILE", help: "safetensors to write: logits, hidden_states.<i>, loss, grad.<name>", required: true),
        .flag("grads", help: "also write the gradient of the loss for every parameter (needs labels)"),
    ]
) { options in
    let model = try ModelDirectory.load(URL(fileURLWithPath: options.string("model")!))
    let inputPath = options.string("input")!
    guard FileManager.default.fileExists(atPath: inputPath) else { throw CommandError("\(inputPath): no such file") }
    let inputs = try SafeTensors(contentsOf: URL(fileURLWithPath: inputPath))
    let outputs: [String: Tensor]
    do {
        outputs = try ReferenceRun.run(model, inputs: inputs, gradients: options.flag("grads"))
    } catch let error as ReferenceRun.MissingInput {
        throw CommandError("\(inputPath): \(error)")
    }
    try SafeTensors.write(outputs, to: URL(fileURLWithPath: options.string("output")!))
    print("wrote \(outputs.count) tensors to \(options.string("output")!)")
}
