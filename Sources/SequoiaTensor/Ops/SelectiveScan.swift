/// Mamba's selective state-space scan (S6) with the D skip.
///
/// u, delta: [B, L, E] (delta already positive, e.g. after softplus); A: [E, N] (negative);
/// B, C: [B, L, N]; D: [E]. Returns y [B, L, E] with, per channel,
/// s_t = exp(delta_t A) s_{t-1} + delta_t u_t B_t and y_t = <s_t, C_t> + D u_t, s_{-1} = 0.
public func selectiveScan(_ u: Tensor, delta: Tensor, A: Tensor, B: Tensor, C: Tensor, D: Tensor?,
                          checkpointEvery chunk: Int = 64) -> Tensor {
    scan(u, delta: delta, A: A, B: B, C: C, D: D, initialState: nil, wantState: false, chunk: chunk).y
}

/// The scan continued from a carried state [B, E, N] (zeros when nil), returning the state
/// after the last step as well: the recurrent mode for token-by-token generation. Not
/// differentiable with respect to the state.
public func selectiveScan(_ u: Tensor, delta: Tensor, A: Tensor, B: Tensor, C: Tensor, D: Tensor?,
                          state: Tensor?) -> (y: Tensor, state: Tensor) {
    let r = scan(u, delta: delta, A: A, B: B, C: C, D: D, initialState: state, wantState: true, chunk: 64)
    return (r.y, r.state!)
}

private func scan(_ u: Tensor, delta: Tensor, A: Tensor, B: Tensor, C: Tensor, D: Tensor?,
                  initialState: Tensor?, wantState: Bool, chunk: Int) -> (y: Tensor, state: Tensor?) {
    precondition(u.rank == 3 && delta.shape == u.shape, "selectiveScan: u \(u.shape) and delta \(delta.shape) must be [B, L, E]")
    let (batch, length, channels) = (u.shape[0], u.shape[1], u.shape[2])
    precondition(A.rank == 2 && A.shape[0] == channels, "selectiveScan: A \(A.shape) must be [E=\(channels), N]")
    let n = A.shape[1]
    precondition(B.shape == [batch, length, n] && C.shape == [batch, length, n],
                 "selectiveScan: B \(B.shape) and C \(C.shape) must be [\(batch), \(length), \(n)]")
    precondition(D == nil || D!.shape == [channels], "selectiveScan: D must be [\(channels)]")
    if let s = initialState { precondition(s.shape == [batch, channels, n], "selectiveScan: state \(s.shape) must be [B, E, N]") }

    let kernel = SelectiveScanKernel(batch: batch, length: length, channels: channels, state: n, chunk: max(1, chunk))
    let inputs = SelectiveScanKernel.Inputs(u: u.pointer, delta: delta.pointer, A: A.pointer, B: B.pointer,
                                            C: C.pointer, D: D?.pointer)
    let needsGrad = GradMode.isEnabled && [u, delta, A, B, C, D].contains { $0?.requiresGrad == true }
    let checkpoints = needsGrad ? Tensor(uninitialized: [kernel.checkpointVectors * SelectiveScanKernel.width]) : nil
    let y = Tensor(uninitialized: u.shape)
    let finalState = wantState ? Tensor(uninitialized: [batch, channels, n]) : nil
    kernel.forward(inputs, y: y.pointer,
                   checkpoints: checkpoints.map { UnsafeMutableRawPointer($0.pointer).assumingMemoryBound(to: FloatVector.self) },
                   initialState: initialState.map { UnsafePointer($0.pointer) }, finalState: finalState?.pointer)
    guard let checkpoints else { return (y, finalState) }

    let inputsList: [Tensor] = D.map { [u, delta, A, B, C, $0] } ?? [u, delta, A, B, C]
    y.recordingGrad(inputsList) { gy in
        let gu = Tensor(uninitialized: u.shape), gdelta = Tensor(uninitialized: u.shape)
        let gA = Tensor(uninitialized: A.shape), gB = Tensor(uninitialized: B.shape), gC = Tensor(uninitialized: C.shape)
        let gD = D.map { Tensor(uninitialized: $0.shape) }
        withExtendedLifetime((u, delta, A, B, C, D, initialState)) {
            kernel.backward(inputs, gy: gy.pointer,
                            checkpoints: UnsafeRawPointer(checkpoints.pointer).assumingMemoryBound(to: FloatVector.self),
                            into: .init(u: gu.pointer, delta: gdelta.pointer, A: gA.pointer, B: gB.pointer,
                                        C: gC.pointer, D: gD?.pointer))
        }
        return [gu, gdelta, gA, gB, gC] + (gD.map { [$0] } ?? [])
    }
    return (y, finalState)
}
