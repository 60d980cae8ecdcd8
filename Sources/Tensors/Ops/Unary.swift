import Foundation

// Unary primitives. Derivatives are written with differentiable Tensor operations; where
// one reuses the output, `reusing(_:orRecompute:)` keeps it differentiable when needed.

extension Tensor {
    /// Natural exponential. d/dx = exp(x).
    public func exp() -> Tensor {
        let x = self
        let y = ElementwiseKernel.map(self) { Foundation.exp($0) }
        return Tensor.record(y, operation: "exp", input: x) { g in g * x.reusing(y) { x.exp() } }
    }

    /// Natural logarithm. d/dx = 1/x.
    public func log() -> Tensor {
        let x = self
        return Tensor.record(ElementwiseKernel.map(x) { Foundation.log($0) }, operation: "log", input: x) { g in
            g / x
        }
    }

    /// Square root. d/dx = 1/(2√x).
    public func sqrt() -> Tensor {
        let x = self
        let y = ElementwiseKernel.map(self) { $0.squareRoot() }
        return Tensor.record(y, operation: "sqrt", input: x) { g in g / (x.reusing(y) { x.sqrt() } * 2) }
    }

    /// Hyperbolic tangent. d/dx = 1 − tanh²(x).
    public func tanh() -> Tensor {
        let x = self
        let y = ElementwiseKernel.map(self) { Foundation.tanh($0) }
        return Tensor.record(y, operation: "tanh", input: x) { g in
            let t = x.reusing(y) { x.tanh() }
            return g * (1 - t * t)
        }
    }

    /// Absolute value. d/dx = sign(x) (0 at 0).
    public func abs() -> Tensor {
        let x = self
        return Tensor.record(ElementwiseKernel.map(x) { Swift.abs($0) }, operation: "abs", input: x) { g in
            g * x.sign()
        }
    }

    /// −1, 0 or 1 by the sign of each element. Piecewise constant: no derivative.
    public func sign() -> Tensor {
        ElementwiseKernel.map(self) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
    }

    /// Elementwise square (a product, so differentiable to any order).
    public func squared() -> Tensor { self * self }

    /// A pullback's saved output `y = f(self)`. Inside a nested differentiation it must
    /// carry its own derivative, so it is recomputed from the recorded input; otherwise the
    /// saved values are reused as they are.
    @inline(__always)
    func reusing(_ y: Tensor, orRecompute recompute: () -> Tensor) -> Tensor {
        RecordingContext.isRecording && node != nil ? recompute() : y
    }
}
