// Sum and maximum over axes (primitives), mean (composite).

extension Tensor {
    /// Sum over `axes`, keeping them with extent 1. d/dx = broadcast of the cotangent.
    public func sum(alongAxes axes: [Int]) -> Tensor {
        let axes = Shape.axes(axes, rank: rank, op: "sum(alongAxes:)", shape: shape)
        let inputShape = shape
        return Tensor.record(ReduceKernel.sum(self, axes: axes), operation: "sum", input: self) { g in
            g.broadcast(to: inputShape)
        }
    }

    /// Sum over `axes`, removing them.
    public func sum(squeezingAxes axes: [Int]) -> Tensor {
        let normalized = Shape.axes(axes, rank: rank, op: "sum(squeezingAxes:)", shape: shape)
        return sum(alongAxes: normalized).reshaped(to: Shape.squeezing(shape, axes: normalized))
    }

    /// Sum of all elements, as a scalar.
    public func sum() -> Tensor { sum(squeezingAxes: Array(0..<rank)) }

    /// Mean over `axes`, keeping them.
    public func mean(alongAxes axes: [Int]) -> Tensor {
        let normalized = Shape.axes(axes, rank: rank, op: "mean(alongAxes:)", shape: shape)
        return sum(alongAxes: normalized) / Float(normalized.map { shape[$0] }.reduce(1, *))
    }

    /// Mean over `axes`, removing them.
    public func mean(squeezingAxes axes: [Int]) -> Tensor {
        let normalized = Shape.axes(axes, rank: rank, op: "mean(squeezingAxes:)", shape: shape)
        return sum(squeezingAxes: normalized) / Float(normalized.map { shape[$0] }.reduce(1, *))
    }

    /// Mean of all elements, as a scalar.
    public func mean() -> Tensor { sum() / Float(Swift.max(scalarCount, 1)) }

    /// Maximum over `axes`, keeping them. The derivative goes to the maximal elements,
    /// shared equally among ties.
    public func max(alongAxes axes: [Int]) -> Tensor {
        let axes = Shape.axes(axes, rank: rank, op: "max(alongAxes:)", shape: shape)
        let x = self
        let y = ReduceKernel.max(self, axes: axes)
        return Tensor.record(y, operation: "max", input: self) { g in
            let winners = withoutDerivative(at: x) .== y
            let share = winners / winners.sum(alongAxes: axes)
            return g.broadcast(to: x.shape) * share
        }
    }

    /// Maximum over `axes`, removing them.
    public func max(squeezingAxes axes: [Int]) -> Tensor {
        let normalized = Shape.axes(axes, rank: rank, op: "max(squeezingAxes:)", shape: shape)
        return max(alongAxes: normalized).reshaped(to: Shape.squeezing(shape, axes: normalized))
    }

    /// Largest element, as a scalar.
    public func max() -> Tensor { max(squeezingAxes: Array(0..<rank)) }
}

extension Tensor {
    /// The index of the largest value in each row of an [N, K] matrix (the first on ties): a
    /// classifier's predicted classes from its logits. Not differentiable.
    public func rowArgmax() -> [Int] {
        precondition(rank == 2, "rowArgmax: expected an [N, K] matrix, got \(shape)")
        let k = shape[1]
        return withUnsafeBufferPointer { p in
            (0..<shape[0]).map { row in
                var best = 0
                for j in 1..<Swift.max(k, 1) where p[row * k + j] > p[row * k + best] { best = j }
                return best
            }
        }
    }
}
