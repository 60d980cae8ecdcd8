// LeakyReLU as a primitive: one pass forward, one pass backward. Its derivative is the
// cotangent scaled by the slope at x, itself linear in the cotangent, so the set is closed.

extension Tensor {
    /// max(x, αx) for 0 ≤ α ≤ 1: x where x > 0, αx elsewhere. d/dx = 1 or α.
    public func leakyReLU(negativeSlope alpha: Float = 0.2) -> Tensor {
        let x = self
        precondition(alpha >= 0 && alpha <= 1, "leakyReLU: negative slope \(alpha) is outside [0, 1]")
        let y = LeakyReLUKernel.forward(x, slope: alpha)
        return Tensor.record(y, operation: "leakyReLU", input: x) { g in
            g.scaledByLeakyReLUSlope(at: withoutDerivative(at: x), negativeSlope: alpha)
        }
    }

    /// `self` times the slope of LeakyReLU at `x` (1 where x > 0, α elsewhere). Linear in
    /// `self`; piecewise constant in `x`, whose derivative is 0.
    func scaledByLeakyReLUSlope(at x: Tensor, negativeSlope alpha: Float) -> Tensor {
        precondition(shape == x.shape, "leakyReLU backward: shapes \(shape) and \(x.shape) differ")
        let y = LeakyReLUKernel.backward(self, at: x, slope: alpha)
        return Tensor.record(y, operation: "leakyReLUSlope", input: self) { g in
            g.scaledByLeakyReLUSlope(at: x, negativeSlope: alpha)
        }
    }

    /// max(x, 0).
    public func relu() -> Tensor { leakyReLU(negativeSlope: 0) }
}
