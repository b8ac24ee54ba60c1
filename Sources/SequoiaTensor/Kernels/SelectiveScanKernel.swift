/// Mamba's selective scan (S6), fused: one pass over time per (batch, block of 8 channels),
/// with the state for all N state dimensions held as 8-channel vectors. No [B, L, E, N]
/// tensor is ever built. Vectorising across channels (rather than across the state) keeps
/// every load contiguous in the channels-last layout and works for any N.
///
/// Per channel d: s_t = exp(dt_t A_d) * s_{t-1} + dt_t u_t B_t;  y_t = <s_t, C_t> + D_d u_t.
/// Backward recomputes the states chunk by chunk from checkpoints saved every `chunk`
/// steps in the forward pass, so memory is O(B E N L / chunk).
struct SelectiveScanKernel {
    let batch: Int, length: Int, channels: Int, state: Int
    let chunk: Int

    static let width = FloatVector.scalarCount
    var blocks: Int { (channels + Self.width - 1) / Self.width }
    var chunks: Int { (length + chunk - 1) / chunk }
    /// Vectors of checkpoint storage the forward pass needs to support backward.
    var checkpointVectors: Int { batch * blocks * chunks * state }

    struct Inputs {
        let u, delta, A, B, C: UnsafePointer<Float>
        let D: UnsafePointer<Float>?
    }

    /// A [E, N] for channels d0..<d0+lanes as N vectors (zero beyond `lanes`).
    @inline(__always)
    private func gatherA(_ A: UnsafePointer<Float>, _ d0: Int, _ lanes: Int, into a: UnsafeMutablePointer<FloatVector>) {
        for n in 0..<state {
            var v = FloatVector()
            for l in 0..<lanes { v[l] = A[(d0 + l) * state + n] }
            a[n] = v
        }
    }

    /// y [B, L, E]. `checkpoints` (when backward will run) receives the state entering each
    /// chunk. `initialState` / `finalState` are [B, E, N] (the recurrent step mode).
    func forward(_ x: Inputs, y: UnsafeMutablePointer<Float>, checkpoints: UnsafeMutablePointer<FloatVector>?,
                 initialState: UnsafePointer<Float>?, finalState: UnsafeMutablePointer<Float>?) {
        let (L, E, N, blocks, chunks) = (length, channels, state, self.blocks, self.chunks)
        Parallel.forChunks(batch * blocks, grain: 1) { range in
            let s = UnsafeMutablePointer<FloatVector>.allocate(capacity: 2 * N)
            defer { s.deallocate() }
            let a = s + N
            for w in range {
                let b = w / blocks, d0 = (w % blocks) * Self.width, lanes = min(Self.width, E - d0)
                gatherA(x.A, d0, lanes, into: a)
                for n in 0..<N {
                    var v = FloatVector()
                    if let s0 = initialState { for l in 0..<lanes { v[l] = s0[(b * E + d0 + l) * N + n] } }
                    s[n] = v
                }
                let dv = x.D.map { VectorMath.load($0 + d0, lanes) } ?? FloatVector()
                for t in 0..<L {
                    if let cp = checkpoints, t % chunk == 0 {
                        (cp + (w * chunks + t / chunk) * N).update(from: s, count: N)
                    }
                    let row = b * L + t
                    let uv = VectorMath.load(x.u + row * E + d0, lanes), dt = VectorMath.load(x.delta + row * E + d0, lanes)
                    let du = dt * uv
                    var acc = dv * uv
                    let bt = x.B + row * N, ct = x.C + row * N
                    for n in 0..<N {
                        let sn = (VectorMath.exp(dt * a[n]) * s[n]).addingProduct(du, bt[n])
                        s[n] = sn
                        acc = acc.addingProduct(sn, ct[n])
                    }
                    VectorMath.store(acc, y + row * E + d0, lanes)
                }
                if let sOut = finalState {
                    for n in 0..<N { for l in 0..<lanes { sOut[(b * E + d0 + l) * N + n] = s[n][l] } }
                }
            }
        }
    }

    struct Gradients {
        let u, delta, A, B, C: UnsafeMutablePointer<Float>
        let D: UnsafeMutablePointer<Float>?
    }

    /// Writes every gradient (overwriting) from gy [B, L, E]. Channel-summed gradients (B, C)
    /// and batch-summed ones (A, D) go through per-thread partials reduced at the end.
    func backward(_ x: Inputs, gy: UnsafePointer<Float>, checkpoints: UnsafePointer<FloatVector>, into g: Gradients) {
        let (L, E, N, blocks, chunks, chunk) = (length, channels, state, self.blocks, self.chunks, self.chunk)
        let items = batch * blocks
        let parts = Parallel.chunkCount(items, grain: 1)
        let bcSize = batch * L * N, adSize = E * N + E
        let partials = Tensor.zeros([parts * (2 * bcSize + adSize)])
        let base = partials.pointer

        Parallel.forIndexedChunks(items, grain: 1) { part, range in
            let gBp = base + part * (2 * bcSize + adSize), gCp = gBp + bcSize
            let gAp = gCp + bcSize, gDp = gAp + E * N
            let scratch = UnsafeMutablePointer<FloatVector>.allocate(capacity: 2 * chunk * N + 4 * N + 1)
            defer { scratch.deallocate() }
            let states = scratch, decay = scratch + chunk * N
            let a = decay + chunk * N, gs = a + N, gAacc = gs + N, entry = gAacc + N, gDacc = entry + N

            for w in range {
                let b = w / blocks, d0 = (w % blocks) * Self.width, lanes = min(Self.width, E - d0)
                gatherA(x.A, d0, lanes, into: a)
                let dv = x.D.map { VectorMath.load($0 + d0, lanes) } ?? FloatVector()
                gs.update(repeating: FloatVector(), count: N)
                gAacc.update(repeating: FloatVector(), count: N)
                gDacc.pointee = FloatVector()

                for c in stride(from: chunks - 1, through: 0, by: -1) {
                    let t0 = c * chunk, t1 = min(L, t0 + chunk)
                    entry.update(from: checkpoints + (w * chunks + c) * N, count: N)
                    // Recompute this chunk's states and decays from its checkpoint.
                    for t in t0..<t1 {
                        let row = b * L + t, i = t - t0
                        let uv = VectorMath.load(x.u + row * E + d0, lanes), dt = VectorMath.load(x.delta + row * E + d0, lanes)
                        let du = dt * uv, bt = x.B + row * N
                        let prev = i == 0 ? entry : states + (i - 1) * N
                        for n in 0..<N {
                            let at = VectorMath.exp(dt * a[n])
                            decay[i * N + n] = at
                            states[i * N + n] = (at * prev[n]).addingProduct(du, bt[n])
                        }
                    }
                    for t in stride(from: t1 - 1, through: t0, by: -1) {
                        let row = b * L + t, i = t - t0
                        let uv = VectorMath.load(x.u + row * E + d0, lanes), dt = VectorMath.load(x.delta + row * E + d0, lanes)
                        let gyv = VectorMath.load(gy + row * E + d0, lanes)
                        let bt = x.B + row * N, ct = x.C + row * N
                        let gbRow = gBp + row * N, gcRow = gCp + row * N
                        let prev = i == 0 ? entry : states + (i - 1) * N
                        var gu = gyv * dv, gdt = FloatVector()
                        gDacc.pointee = gDacc.pointee.addingProduct(gyv, uv)
                        let dtu = dt * uv
                        for n in 0..<N {
                            gcRow[n] += (gyv * states[i * N + n]).sum()
                            // Adjoint of s_t: from y_t now, plus what s_{t+1} passed back.
                            let gsn = gs[n].addingProduct(gyv, ct[n])
                            let at = decay[i * N + n]
                            let viaDecay = gsn * at * prev[n]
                            gdt = gdt.addingProduct(viaDecay, a[n]).addingProduct(gsn * uv, bt[n])
                            gAacc[n] = gAacc[n].addingProduct(viaDecay, dt)
                            gu = gu.addingProduct(gsn * dt, bt[n])
                            gbRow[n] += (gsn * dtu).sum()
                            gs[n] = gsn * at
                        }
                        VectorMath.store(gu, g.u + row * E + d0, lanes)
                        VectorMath.store(gdt, g.delta + row * E + d0, lanes)
                    }
                }
                for l in 0..<lanes {
                    for n in 0..<N { gAp[(d0 + l) * N + n] += gAacc[n][l] }
                    gDp[d0 + l] += gDacc.pointee[l]
                }
            }
        }

        // Reduce the per-thread partials.
        let partStride = 2 * bcSize + adSize
        for i in 0..<bcSize {
            var sb: Float = 0, sc: Float = 0
            for p in 0..<parts { sb += base[p * partStride + i]; sc += base[p * partStride + bcSize + i] }
            g.B[i] = sb
            g.C[i] = sc
        }
        for i in 0..<(E * N) {
            var s: Float = 0
            for p in 0..<parts { s += base[p * partStride + 2 * bcSize + i] }
            g.A[i] = s
        }
        if let gD = g.D {
            for i in 0..<E {
                var s: Float = 0
                for p in 0..<parts { s += base[p * partStride + 2 * bcSize + E * N + i] }
                gD[i] = s
            }
        }
    }
}
