// Slicing and zero-padding, each the other's derivative.

extension Tensor {
    /// The block `lowerBounds[i] ..< upperBounds[i]` on every axis.
    public func sliced(lowerBounds: [Int], upperBounds: [Int]) -> Tensor {
        precondition(
            lowerBounds.count == rank && upperBounds.count == rank,
            "sliced: bounds \(lowerBounds)..<\(upperBounds) do not match shape \(shape)")
        for i in 0..<rank {
            precondition(
                0 <= lowerBounds[i] && lowerBounds[i] <= upperBounds[i] && upperBounds[i] <= shape[i],
                "sliced: axis \(i) range \(lowerBounds[i])..<\(upperBounds[i]) is outside shape \(shape)")
        }
        let outShape = zip(lowerBounds, upperBounds).map { $1 - $0 }
        if outShape == shape { return self }
        let strides = Shape.strides(shape)
        let offset = zip(lowerBounds, strides).map(*).reduce(0, +)
        let out = Tensor.uninitialized(outShape)
        CopyKernel.copy(
            shape: outShape, from: storage.pointer + offset, strides: strides,
            to: out.storage.pointer, strides: Shape.strides(outShape))
        let padding = (0..<rank).map { (lowerBounds[$0], shape[$0] - upperBounds[$0]) }
        return Tensor.record(out, operation: "slice", input: self) { g in g.padded(with: padding) }
    }

    /// `range` along one axis, everything on the others.
    public func sliced(alongAxis axis: Int, range: Range<Int>) -> Tensor {
        let a = Shape.axes([axis], rank: rank, op: "sliced(alongAxis:range:)", shape: shape)[0]
        var lower = [Int](repeating: 0, count: rank)
        var upper = shape
        lower[a] = range.lowerBound
        upper[a] = range.upperBound
        return sliced(lowerBounds: lower, upperBounds: upper)
    }

    /// Zeros added before and after each axis: `padding[i] = (before, after)`.
    public func padded(with padding: [(before: Int, after: Int)]) -> Tensor {
        precondition(padding.count == rank, "padded: \(padding.count) paddings for shape \(shape)")
        precondition(padding.allSatisfy { $0.before >= 0 && $0.after >= 0 }, "padded: negative padding")
        if padding.allSatisfy({ $0.before == 0 && $0.after == 0 }) { return self }
        let outShape = (0..<rank).map { shape[$0] + padding[$0].before + padding[$0].after }
        let out = Tensor.zeros(outShape)
        let outStrides = Shape.strides(outShape)
        let offset = zip(padding.map(\.before), outStrides).map(*).reduce(0, +)
        CopyKernel.copy(
            shape: shape, from: storage.pointer, strides: Shape.strides(shape),
            to: out.storage.pointer + offset, strides: outStrides)
        let lower = padding.map(\.before)
        let upper = zip(lower, shape).map(+)
        return Tensor.record(out, operation: "pad", input: self) { g in
            g.sliced(lowerBounds: lower, upperBounds: upper)
        }
    }
}
