import SequoiaNN
import SequoiaTensor

/// LC-PLM's bidirectional Mamba with shared projections (BiMamba-S): M_fwd(u) + rev(M_rev(rev(u))),
/// where the two Mamba mixers share in_proj and out_proj (the same Linear objects, when
/// `sharedProjections`) and have their own conv1d, x_proj, dt_proj, A_log and D.
public final class BiMambaMixer: Module {
    public let mamba_fwd: MambaMixer
    public let mamba_rev: MambaMixer

    public init(_ config: MambaMixerConfig, sharedProjections: Bool = true, rng: inout RandomGenerator) {
        mamba_fwd = MambaMixer(config, rng: &rng)
        mamba_rev = MambaMixer(config, projections: sharedProjections ? (mamba_fwd.in_proj, mamba_fwd.out_proj) : nil, rng: &rng)
    }

    /// Whether both directions use the same in_proj and out_proj.
    public var sharesProjections: Bool {
        mamba_fwd.in_proj === mamba_rev.in_proj && mamba_fwd.out_proj === mamba_rev.out_proj
    }

    /// u [B, L, d] -> [B, L, d]. With right padding, `lengths` (one per row) makes the reverse
    /// direction run over each row's real positions only, so pads never reach them.
    public func callAsFunction(_ u: Tensor, lengths: [Int]? = nil) -> Tensor {
        let rowLengths = lengths ?? Array(repeating: u.shape[1], count: u.shape[0])
        let reverse = { (t: Tensor) in reversedWithinLengths(t, lengths: rowLengths) }
        // Shared projections are linear and commute with the reversal, so each runs once for both
        // directions (out_proj's bias, if any, would count twice: then take the plain route).
        guard sharesProjections && mamba_fwd.out_proj.bias == nil else {
            return mamba_fwd(u) + reverse(mamba_rev(reverse(u)))
        }
        let xz = mamba_fwd.in_proj(u)
        return mamba_fwd.out_proj(mamba_fwd.gatedScan(xz) + reverse(mamba_rev.gatedScan(reverse(xz))))
    }
}
