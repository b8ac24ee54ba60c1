import SequoiaNN
import SequoiaTensor

/// LC-PLM's bidirectional Mamba with shared projections (BiMamba-S): M_fwd(u) + rev(M_rev(rev(u))),
/// where the two Mamba mixers share in_proj and out_proj (the same Linear objects, when
/// `sharedProjections`) and have their own conv1d, x_proj, dt_proj, A_log and D.
public final class BiMambaMixer: Module {
    @CheckpointKey("mamba_fwd") public private(set) var forwardMixer: MambaMixer
    @CheckpointKey("mamba_rev") public private(set) var reverseMixer: MambaMixer

    public init(_ config: MambaMixerConfig, sharedProjections: Bool = true, rng: inout RandomGenerator) {
        let forward = MambaMixer(config, rng: &rng)
        let reverse = MambaMixer(config, projections: sharedProjections ? (forward.inProj, forward.outProj) : nil, rng: &rng)
        super.init()
        forwardMixer = forward
        reverseMixer = reverse
    }

    /// Whether both directions use the same in_proj and out_proj.
    public var sharesProjections: Bool {
        forwardMixer.inProj === reverseMixer.inProj && forwardMixer.outProj === reverseMixer.outProj
    }

    /// u [B, L, d] -> [B, L, d]. With right padding, `lengths` (one per row) makes the reverse
    /// direction run over each row's real positions only, so pads never reach them.
    public func callAsFunction(_ u: Tensor, lengths: [Int]? = nil) -> Tensor {
        let rowLengths = lengths ?? Array(repeating: u.shape[1], count: u.shape[0])
        let reverse = { (t: Tensor) in reversedWithinLengths(t, lengths: rowLengths) }
        // Shared projections are linear and commute with the reversal, so each runs once for both
        // directions (out_proj's bias, if any, would count twice: then take the plain route).
        guard sharesProjections && forwardMixer.outProj.bias == nil else {
            return forwardMixer(u) + reverse(reverseMixer(reverse(u)))
        }
        let xz = forwardMixer.inProj(u)
        return forwardMixer.outProj(forwardMixer.gatedScan(xz) + reverse(reverseMixer.gatedScan(reverse(xz))))
    }
}
