import Tensors

/// The optimisers' per-parameter updates as single passes: reading parameter, gradient and
/// state once and writing the new values once, instead of a chain of tensor operations
/// with a temporary per step (Adam: about ten passes over every parameter → one).
enum UpdateKernels {
    /// Adam/AdamW for one parameter; returns (parameter, first moment, second moment).
    static func adam(parameter p: Tensor, gradient g: Tensor, firstMoment m: Tensor?, secondMoment v: Tensor?,
                     learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
                     decoupled: Bool, correction1: Float, correction2Root: Float) -> (Tensor, Tensor, Tensor) {
        precondition(p.shape == g.shape, "Adam: parameter shape \(p.shape) and gradient shape \(g.shape) differ")
        let shape = p.shape, n = p.scalarCount
        let mIn = m ?? .zeros(shape), vIn = v ?? .zeros(shape)
        let stepSize = learningRate / correction1
        let decay = decoupled ? 1 - learningRate * weightDecay : 1
        let l2 = decoupled ? 0 : weightDecay
        var newM = Tensor.zeros([0]), newV = Tensor.zeros([0])
        let newP = Tensor(shape: shape) { pOut in
            newM = Tensor(shape: shape) { mOut in
                newV = Tensor(shape: shape) { vOut in
                    p.withUnsafeBufferPointer { pIn in
                        g.withUnsafeBufferPointer { gIn in
                            mIn.withUnsafeBufferPointer { mPrev in
                                vIn.withUnsafeBufferPointer { vPrev in
                                    // Addresses cross into the worker threads; the chunks are disjoint.
                                    let a = [pIn.baseAddress, gIn.baseAddress, mPrev.baseAddress, vPrev.baseAddress]
                                        .map { UInt(bitPattern: $0) }
                                    let o = [pOut.baseAddress, mOut.baseAddress, vOut.baseAddress].map { UInt(bitPattern: $0) }
                                    Kernels.forEachChunk(of: n) { range in
                                        guard let pIn = UnsafePointer<Float>(bitPattern: a[0]), let gIn = UnsafePointer<Float>(bitPattern: a[1]),
                                              let mPrev = UnsafePointer<Float>(bitPattern: a[2]), let vPrev = UnsafePointer<Float>(bitPattern: a[3]),
                                              let pOut = UnsafeMutablePointer<Float>(bitPattern: o[0]),
                                              let mOut = UnsafeMutablePointer<Float>(bitPattern: o[1]),
                                              let vOut = UnsafeMutablePointer<Float>(bitPattern: o[2]) else { return }
                                        for i in range {
                                            let grad = gIn[i] + l2 * pIn[i]
                                            let mi = mPrev[i] * beta1 + (1 - beta1) * grad
                                            let vi = vPrev[i] * beta2 + (1 - beta2) * grad * grad
                                            mOut[i] = mi
                                            vOut[i] = vi
                                            pOut[i] = pIn[i] * decay - stepSize * mi / (vi.squareRoot() / correction2Root + epsilon)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (newP, newM, newV)
    }
}
