import SequoiaNN
import SequoiaTensor
import XCTest

/// A Mamba-shaped model whose snake_case property names are the HF checkpoint keys.
private final class Mixer: Module {
    let in_proj: Linear
    let conv1d: Conv1d
    let A_log: Tensor
    let D: Tensor
    let out_proj: Linear

    init(_ d: Int, rng: inout RandomGenerator) {
        in_proj = Linear(d, 4 * d, bias: false, rng: &rng)
        conv1d = Conv1d(channels: 2 * d, kernelSize: 4, rng: &rng)
        A_log = Tensor.zeros([2 * d, 3], requiresGrad: true)
        D = Tensor.ones([2 * d], requiresGrad: true)
        out_proj = Linear(2 * d, d, bias: false, rng: &rng)
    }
}

private final class Block: Module {
    let norm: RMSNorm
    let mixer: Mixer

    init(_ d: Int, rng: inout RandomGenerator) {
        norm = RMSNorm(d)
        mixer = Mixer(d, rng: &rng)
    }
}

private final class Backbone: Module {
    let embeddings: Embedding
    let layers: [Block]
    let norm_f: RMSNorm

    init(_ d: Int, layers n: Int, rng: inout RandomGenerator) {
        embeddings = Embedding(10, d, rng: &rng)
        layers = (0..<n).map { _ in Block(d, rng: &rng) }
        norm_f = RMSNorm(d)
    }
}

private final class LM: Module {
    let backbone: Backbone
    let lm_head: Linear

    init(d: Int = 4, layers: Int = 2, rng: inout RandomGenerator) {
        backbone = Backbone(d, layers: layers, rng: &rng)
        lm_head = Linear(d, 10, bias: false, rng: &rng)
    }
}

/// Swift-style names with their checkpoint keys beside them, plus optionals, buffers and tensor arrays.
private final class CamelMixer: Module {
    @CheckpointKey("in_proj") var inProj: Linear
    @CheckpointKey("A_log") var aLog: Tensor
    let skipped: Linear?
    let present: Tensor?
    @Buffer(key: "running_mean") var runningMean: Tensor
    let heads: [Tensor]
    let dropout: Dropout

    init(rng: inout RandomGenerator) {
        let projection = Linear(2, 3, rng: &rng)
        skipped = nil
        present = Tensor.ones([1], requiresGrad: true)
        heads = [Tensor.zeros([2], requiresGrad: true), Tensor.zeros([5], requiresGrad: true)]
        dropout = Dropout(p: 0.5, rng: RandomGenerator(seed: 1))
        super.init()
        inProj = projection
        aLog = Tensor.zeros([3], requiresGrad: true)
        runningMean = Tensor.zeros([3])
    }
}

/// A head around a model whose empty key keeps the model's own names, and a dotted key that nests
/// a member under a path of its own; an absent optional behind a key is skipped.
private final class Wrapped: Module {
    @CheckpointKey("") var inner: Tied
    @CheckpointKey("deep.er.norm") var norm: RMSNorm
    @CheckpointKey("absent") var absent: Linear?
    let head: Linear

    init(rng: inout RandomGenerator) {
        let tied = Tied(rng: &rng)
        head = Linear(3, 2, bias: false, rng: &rng)
        super.init()
        inner = tied
        norm = RMSNorm(3)
        absent = nil
    }
}

/// Shares one tensor under two names, as tied input and output embeddings do.
private final class Tied: Module {
    let embed: Embedding
    let head: Tensor

    init(rng: inout RandomGenerator) {
        embed = Embedding(5, 3, rng: &rng)
        head = embed.weight
    }
}

/// Dictionaries of modules give sorted keys; a present optional child is visited like any other.
private final class Heads: Module {
    let heads: [String: Linear]
    let extra: RMSNorm?
    let absent: RMSNorm?

    init(rng: inout RandomGenerator) {
        heads = ["task_b": Linear(2, 1, bias: false, rng: &rng), "task_a": Linear(2, 3, bias: false, rng: &rng)]
        extra = RMSNorm(2)
        absent = nil
    }
}

/// A subclass of a module subclass: the parent's properties come first.
private class Base: Module {
    let first = Tensor.zeros([1], requiresGrad: true)
}

private final class Derived: Base {
    let second = Tensor.zeros([2], requiresGrad: true)
    @Buffer var stats = Tensor.zeros([4])
}

final class ModuleTests: XCTestCase {
    func testHuggingFaceStyleNamesInDeclarationOrder() {
        var rng = RandomGenerator(seed: 0)
        let model = LM(rng: &rng)
        let block = { (i: Int) -> [String] in
            ["backbone.layers.\(i).norm.weight",
             "backbone.layers.\(i).mixer.in_proj.weight",
             "backbone.layers.\(i).mixer.conv1d.weight",
             "backbone.layers.\(i).mixer.conv1d.bias",
             "backbone.layers.\(i).mixer.A_log",
             "backbone.layers.\(i).mixer.D",
             "backbone.layers.\(i).mixer.out_proj.weight"]
        }
        let expected = ["backbone.embeddings.weight"] + block(0) + block(1) + ["backbone.norm_f.weight", "lm_head.weight"]
        XCTAssertEqual(model.namedParameters().map(\.0), expected)
        XCTAssertEqual(model.parameters().count, expected.count)
        XCTAssertEqual(Set(model.stateDict().keys), Set(expected))
        XCTAssertEqual(model.backbone.layers[1].mixer.conv1d.weight.shape, [8, 1, 4])
        XCTAssertTrue(model.namedParameters()[1].1 === model.backbone.layers[0].norm.weight)
        // Deterministic: asking twice gives the same order.
        XCTAssertEqual(model.namedParameters().map(\.0), model.namedParameters().map(\.0))
    }

    func testParameterCount() {
        var rng = RandomGenerator(seed: 0)
        let d = 4
        let model = LM(d: d, layers: 2, rng: &rng)
        let mixer = 4 * d * d + (2 * d * 4 + 2 * d) + 2 * d * 3 + 2 * d + 2 * d * d
        let expected = 10 * d + 2 * (d + mixer) + d + 10 * d
        XCTAssertEqual(model.parameterCount, expected)
    }

    func testNamedModules() {
        var rng = RandomGenerator(seed: 0)
        let model = LM(layers: 1, rng: &rng)
        XCTAssertEqual(model.namedModules().map(\.0), [
            "backbone", "backbone.embeddings", "backbone.layers.0", "backbone.layers.0.norm",
            "backbone.layers.0.mixer", "backbone.layers.0.mixer.in_proj", "backbone.layers.0.mixer.conv1d",
            "backbone.layers.0.mixer.out_proj", "backbone.norm_f", "lm_head",
        ])
        XCTAssertEqual(model.children().count, 2)
    }

    func testCheckpointKeysOptionalsBuffersAndTensorArrays() {
        var rng = RandomGenerator(seed: 0)
        let m = CamelMixer(rng: &rng)
        XCTAssertEqual(m.namedParameters().map(\.0),
                       ["in_proj.weight", "in_proj.bias", "A_log", "present", "heads.0", "heads.1"])
        XCTAssertEqual(m.namedBuffers().map(\.0), ["running_mean"])
        XCTAssertTrue(m.namedBuffers()[0].1 === m.runningMean)
        XCTAssertFalse(m.parameters().contains { $0 === m.runningMean })
        XCTAssertEqual(Set(m.stateDict().keys),
                       ["in_proj.weight", "in_proj.bias", "A_log", "present", "heads.0", "heads.1", "running_mean"])
    }

    func testEmptyAndDottedKeysAndAbsentOptionals() {
        var rng = RandomGenerator(seed: 0)
        let m = Wrapped(rng: &rng)
        XCTAssertEqual(m.namedParameters().map(\.0), ["embed.weight", "deep.er.norm.weight", "head.weight"])
        XCTAssertEqual(Set(m.stateDict().keys), ["embed.weight", "head", "deep.er.norm.weight", "head.weight"])
        XCTAssertEqual(m.namedModules().map(\.0), ["", "embed", "deep.er.norm", "head"])
    }

    func testModuleDictionariesAndOptionalChildren() {
        var rng = RandomGenerator(seed: 0)
        let m = Heads(rng: &rng)
        XCTAssertEqual(m.namedParameters().map(\.0), ["heads.task_a.weight", "heads.task_b.weight", "extra.weight"])
        XCTAssertEqual(m.namedModules().map(\.0), ["heads.task_a", "heads.task_b", "extra"])
        m.eval()
        XCTAssertFalse(m.heads["task_b"]!.isTraining)
        XCTAssertFalse(m.extra!.isTraining)
    }

    func testSubclassOfSubclassListsParentPropertiesFirst() {
        let m = Derived()
        XCTAssertEqual(m.namedParameters().map(\.0), ["first", "second"])
        XCTAssertEqual(m.namedBuffers().map(\.0), ["stats"])
    }

    func testTiedTensorIsOneParameterButSavedUnderBothNames() {
        var rng = RandomGenerator(seed: 0)
        let m = Tied(rng: &rng)
        XCTAssertEqual(m.namedParameters().map(\.0), ["embed.weight"])
        XCTAssertEqual(m.parameterCount, 15)
        XCTAssertEqual(Set(m.stateDict().keys), ["embed.weight", "head"])
    }

    func testTrainEvalReachesEveryDescendant() {
        var rng = RandomGenerator(seed: 0)
        let model = LM(rng: &rng)
        let camel = CamelMixer(rng: &rng)
        XCTAssertTrue(model.isTraining)
        model.eval()
        XCTAssertFalse(model.isTraining)
        for (name, m) in model.namedModules() { XCTAssertFalse(m.isTraining, name) }
        model.train()
        for (name, m) in model.namedModules() { XCTAssertTrue(m.isTraining, name) }
        camel.eval()
        XCTAssertFalse(camel.dropout.isTraining)
        // In eval mode dropout is the identity (the very same tensor).
        let x = Tensor.ones([4])
        XCTAssertTrue(camel.dropout(x) === x)
    }

    func testZeroGradClearsEveryParameter() {
        var rng = RandomGenerator(seed: 0)
        let model = LM(layers: 1, rng: &rng)
        for p in model.parameters() { p.grad = Tensor.ones(p.shape) }
        model.zeroGrad()
        XCTAssertTrue(model.parameters().allSatisfy { $0.grad == nil })
    }

    func testLayerParametersAndInitialisation() {
        var rng = RandomGenerator(seed: 3)
        let linear = Linear(16, 5, rng: &rng)
        XCTAssertEqual(linear.namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertEqual(linear.weight.shape, [5, 16])
        XCTAssertTrue(linear.parameters().allSatisfy(\.requiresGrad))
        XCTAssertTrue(linear.weight.scalars.allSatisfy { abs($0) <= 0.25 })
        XCTAssertGreaterThan(linear.weight.scalars.map { abs($0) }.max()!, 0.2)
        XCTAssertEqual(Linear(3, 2, bias: false, rng: &rng).namedParameters().map(\.0), ["weight"])

        let conv = Conv1d(channels: 6, kernelSize: 4, rng: &rng)
        XCTAssertEqual(conv.weight.shape, [6, 1, 4])
        XCTAssertEqual(conv.bias?.shape, [6])
        XCTAssertTrue(conv.weight.scalars.allSatisfy { abs($0) <= 0.5 })

        let conv2 = Conv2d(3, 8, kernelSize: 3, stride: 2, padding: 1, rng: &rng)
        XCTAssertEqual(conv2.weight.shape, [8, 3, 3, 3])
        XCTAssertTrue(conv2.weight.scalars.allSatisfy { abs($0) <= 1 / Float(27).squareRoot() })

        XCTAssertEqual(LayerNorm(7).namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertEqual(LayerNorm(7, bias: false).namedParameters().map(\.0), ["weight"])
        XCTAssertEqual(LayerNorm(7, affine: false).namedParameters().count, 0)
        XCTAssertEqual(RMSNorm(7).weight.scalars, [Float](repeating: 1, count: 7))
        XCTAssertEqual(Embedding(11, 3, rng: &rng).weight.shape, [11, 3])
    }

    func testInitialisationIsReproducibleFromTheSeed() {
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        let m1 = LM(rng: &a), m2 = LM(rng: &b)
        for ((n1, p1), (n2, p2)) in zip(m1.namedParameters(), m2.namedParameters()) {
            XCTAssertEqual(n1, n2)
            XCTAssertEqual(p1.scalars, p2.scalars, n1)
        }
    }
}
