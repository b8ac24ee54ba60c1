// STUB: owned by helper H4; replace every body.
/// x [B, C, H, W]; windows of kernel x kernel every `stride` (default = kernel), no padding.
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) -> Tensor { fatalError("unimplemented") }
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) -> Tensor { fatalError("unimplemented") }
