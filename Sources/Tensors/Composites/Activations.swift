// Composite activations, each written once in a numerically stable form from primitives,
// so their derivatives (of any order) come from the primitives'.

extension Tensor {
    /// σ(x) = 1 / (1 + e^−x), computed as ½(1 + tanh(x/2)), which never overflows.
    public func sigmoid() -> Tensor { ((self * 0.5).tanh() + 1) * 0.5 }

    /// log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|).
    public func softplus() -> Tensor { relu() + ((-abs()).exp() + 1).log() }

    /// SiLU (swish): x·σ(x).
    public func silu() -> Tensor { self * sigmoid() }

    /// log Σ exp(x) over `axes`, keeping them; shifted by the (constant) maximum so no
    /// exponential overflows.
    public func logSumExp(alongAxes axes: [Int]) -> Tensor {
        let shift = withoutDerivative(at: self).max(alongAxes: axes)
        let safeShift = select(shift .== Tensor(-.infinity), Tensor(0), shift)
        return (self - safeShift).exp().sum(alongAxes: axes).log() + safeShift
    }

    /// log Σ exp(x) over `axes`, removing them.
    public func logSumExp(squeezingAxes axes: [Int]) -> Tensor {
        let normalized = Shape.axes(axes, rank: rank, op: "logSumExp(squeezingAxes:)", shape: shape)
        return logSumExp(alongAxes: normalized).reshaped(to: Shape.squeezing(shape, axes: normalized))
    }

    /// log softmax over `axis`: x − logsumexp(x).
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor { self - logSumExp(alongAxes: [axis]) }

    /// softmax over `axis`, as exp(log softmax).
    public func softmax(alongAxis axis: Int = -1) -> Tensor { logSoftmax(alongAxis: axis).exp() }
}
