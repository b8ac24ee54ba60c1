import SequoiaNN
import SequoiaTensor

/// Which hidden states a backbone call returns beside its output.
public enum HiddenStates: Equatable, Sendable {
    /// Only the final state, after the last norm: no other layer's state is kept alive.
    case final
    /// Also the residual stream after every block, in order.
    case everyLayer
    /// Stop after block `n` (0-based): its residual stream is the output; later blocks and the
    /// final norm do not run.
    case afterBlock(Int)
}

/// What a backbone call returns.
public struct BackboneOutput {
    /// [B, L, d]: the final hidden state, or the block's state asked for with `.afterBlock`.
    public let output: Tensor
    /// With `.everyLayer`, the residual stream after each block; otherwise empty.
    public let layers: [Tensor]

    public init(output: Tensor, layers: [Tensor] = []) {
        self.output = output
        self.layers = layers
    }
}

/// The one seam between models and plugins: a sequence model from input embeddings to hidden
/// states, whatever its family (Mamba, BiMamba-S, Hyena, attention).
///
/// A plugin whose inputs are tokens calls `embed(ids)`; one whose inputs are already vectors
/// (frames, patches, events) builds embeddings [B, L, hiddenSize] itself and calls
/// `forward(embeddings:lengths:states:)`. Rows may be right-padded: with each row's real length in
/// `lengths`, the states at real positions are those the row gets alone, in either direction.
public protocol Backbone: Module {
    /// Model width d: embeddings and hidden states are [B, L, d].
    var hiddenSize: Int { get }
    /// Residual blocks (layers).
    var layerCount: Int { get }
    /// The longest sequence it accepts, or nil when there is none.
    var maxLength: Int? { get }
    /// Whether position t sees only positions up to t (false: it sees the whole sequence).
    var isCausal: Bool { get }
    /// Rows of the token embedding.
    var vocabularySize: Int { get }

    /// Token ids [B, L] -> input embeddings [B, L, d].
    func embed(_ ids: IndexTensor) -> Tensor
    /// Embeddings [B, L, d] -> hidden states. `lengths` (one per row, each in 1...L) marks right
    /// padding; nil means every row is L long.
    func forward(embeddings: Tensor, lengths: [Int]?, states: HiddenStates) -> BackboneOutput
    /// An empty step state for `batch` sequences, or nil when the family cannot run step by step.
    func makeStepState(batch: Int) -> (any BackboneStepState)?
    /// Step mode: embeddings [B, T, d] of the T positions after those `state` has seen -> their
    /// final hidden states [B, T, d], advancing `state`. Equal to the full forward's states there.
    func step(embeddings: Tensor, state: any BackboneStepState) -> Tensor
}

/// Input longer than a backbone's `maxLength`.
public struct SequenceTooLong: Error, CustomStringConvertible {
    public let description: String
}

/// What a backbone carries from one step to the next: Mamba's recurrent state, attention's key and
/// value cache. A reference type, so one value follows a generation loop.
public protocol BackboneStepState: AnyObject {
    /// Positions consumed so far.
    var position: Int { get }
}

extension Backbone {
    public func makeStepState(batch: Int) -> (any BackboneStepState)? { nil }

    public func step(embeddings: Tensor, state: any BackboneStepState) -> Tensor {
        preconditionFailure("\(type(of: self)) has no step mode (makeStepState returned nil)")
    }

    /// Final hidden states [B, L, d] of embeddings, rows right-padded to `lengths` when given.
    public func callAsFunction(embeddings: Tensor, lengths: [Int]? = nil) -> Tensor {
        forward(embeddings: embeddings, lengths: lengths, states: .final).output
    }

    /// Final hidden states [B, L, d] of token ids, rows right-padded to `lengths` when given.
    public func callAsFunction(_ ids: IndexTensor, lengths: [Int]? = nil) -> Tensor {
        forward(embeddings: embed(ids), lengths: lengths, states: .final).output
    }

    /// The one maximum-length check: throws when `length` positions exceed `maxLength`. `what` names
    /// them, with their length, for the message ("genes.csv:3: sequence of 65 nt" gives "genes.csv:3:
    /// sequence of 65 nt is longer than the model's maximum length 64").
    public func checkLength(_ length: Int, _ what: @autoclosure () -> String) throws {
        if let limit = maxLength, length > limit {
            throw SequenceTooLong(description: "\(what()) is longer than the model's maximum length \(limit)")
        }
    }

    /// Checks embeddings and lengths against this backbone (a programming error if they disagree).
    func checkInput(_ x: Tensor, lengths: [Int]?) {
        precondition(x.rank == 3 && x.shape[2] == hiddenSize, "\(type(of: self)): embeddings \(x.shape) must be [B, L, \(hiddenSize)]")
        if let lengths {
            precondition(lengths.count == x.shape[0] && lengths.allSatisfy { (1...x.shape[1]).contains($0) },
                         "\(type(of: self)): lengths \(lengths) for embeddings \(x.shape)")
        }
    }
}

/// Runs `blocks` over `x` as `states` asks: every block (keeping each output with `.everyLayer`),
/// or up to block n with `.afterBlock(n)`; `finish` (the final norm) is applied only when all ran.
func runBlocks<Block>(_ blocks: [Block], _ x: Tensor, states: HiddenStates, block apply: (Block, Tensor) -> Tensor,
                      finish: (Tensor) -> Tensor) -> BackboneOutput {
    var h = x
    var layers: [Tensor] = []
    var count = blocks.count
    if case .afterBlock(let n) = states {
        precondition((0..<blocks.count).contains(n), "block \(n) asked of a backbone with \(blocks.count) blocks")
        count = n + 1
    }
    for block in blocks.prefix(count) {
        h = apply(block, h)
        if states == .everyLayer { layers.append(h) }
    }
    if case .afterBlock = states { return BackboneOutput(output: h) }
    return BackboneOutput(output: finish(h), layers: layers)
}
