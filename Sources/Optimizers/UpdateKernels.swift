import CJouleKernels
import Tensors

/// The optimisers' per-parameter updates as single vectorised passes (C loops): reading parameter,
/// gradient and state once and writing the new values once, instead of a chain of tensor
/// operations with a temporary per step (Adam: about ten passes over every parameter → one).
enum UpdateKernels {
    /// The constants of one Adam/AdamW step.
    struct AdamStep {
        var learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
        var decoupled: Bool, correction1: Float, correction2Root: Float
    }

    /// Adam/AdamW for one parameter: updates the moments in place (they belong to the
    /// optimiser; a copy is made first only if a checkpoint still shares them) and returns
    /// the new parameter. Missing moments start at zero.
    static func adam(
        parameter p: Tensor, gradient g: Tensor, firstMoment m: inout Tensor?,
        secondMoment v: inout Tensor?, step s: AdamStep
    ) -> Tensor {
        precondition(p.shape == g.shape, "Adam: parameter shape \(p.shape) and gradient shape \(g.shape) differ")
        let shape = p.shape
        let n = p.scalarCount
        var moment1 = m.take() ?? .zeros(shape)
        var moment2 = v.take() ?? .zeros(shape)
        // The C loop runs over the parameter's length: moments of another shape would overrun.
        precondition(
            moment1.shape == shape && moment2.shape == shape,
            "Adam: moments shaped \(moment1.shape) and \(moment2.shape) for a parameter shaped \(shape)")
        let stepSize = s.learningRate / s.correction1
        let decay: Float = s.decoupled ? 1 - s.learningRate * s.weightDecay : 1
        let l2: Float = s.decoupled ? 0 : s.weightDecay
        let beta1 = s.beta1
        let beta2 = s.beta2
        let epsilon = s.epsilon
        let root = s.correction2Root
        let newP = Tensor(shape: shape) { pOut in
            moment1.withUnsafeMutableBufferPointer { mBuffer in
                moment2.withUnsafeMutableBufferPointer { vBuffer in
                    p.withUnsafeBufferPointer { pIn in
                        g.withUnsafeBufferPointer { gIn in
                            // Empty parameters have no addresses, and nothing to update.
                            guard
                                let pointers = AdamPointers(
                                    parameter: pIn, gradient: gIn, firstMoment: mBuffer,
                                    secondMoment: vBuffer, output: pOut)
                            else { return }
                            Kernels.forEachChunk(of: n) { range in
                                pointers.update(
                                    range, l2: l2, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                    decay: decay, stepSize: stepSize, correction2Root: root)
                            }
                        }
                    }
                }
            }
        }
        m = moment1
        v = moment2
        return newP
    }
}

/// Adam's five streams, for the worker threads; each worker touches a disjoint range.
private struct AdamPointers: @unchecked Sendable {
    let p: UnsafePointer<Float>, g: UnsafePointer<Float>
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>

    init?(
        parameter: UnsafeBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        firstMoment: UnsafeMutableBufferPointer<Float>, secondMoment: UnsafeMutableBufferPointer<Float>,
        output: UnsafeMutableBufferPointer<Float>
    ) {
        guard let p = parameter.baseAddress, let g = gradient.baseAddress, let m = firstMoment.baseAddress,
            let v = secondMoment.baseAddress, let out = output.baseAddress
        else { return nil }
        (self.p, self.g, self.m, self.v, self.out) = (p, g, m, v, out)
    }

    func update(
        _ range: Range<Int>, l2: Float, beta1: Float, beta2: Float, epsilon: Float,
        decay: Float, stepSize: Float, correction2Root: Float
    ) {
        let i = range.lowerBound
        joule_adam_update(
            p + i, g + i, m + i, v + i, out + i, range.count, l2, beta1, beta2, epsilon, decay,
            stepSize, correction2Root)
    }
}
