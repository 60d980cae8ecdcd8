// Reshape (no data movement) and permutation of axes (a copy); each derivative is the inverse.

extension Tensor {
    /// The same elements under a new shape; one extent may be −1 (inferred).
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            precondition(
                known > 0 && scalarCount % known == 0,
                "reshaped(to:): cannot infer -1 in \(newShape) from shape \(shape)")
            resolved[unknown] = scalarCount / known
        }
        Shape.validate(resolved, in: "reshaped(to:)")
        precondition(
            resolved.reduce(1, *) == scalarCount,
            "reshaped(to:): shape \(shape) (\(scalarCount) elements) cannot become \(newShape)")
        if resolved == shape { return self }
        let inputShape = shape
        return Tensor.record(Tensor(shape: resolved, storage: storage), operation: "reshape", input: self) { g in
            g.reshaped(to: inputShape)
        }
    }

    /// Axes reordered: axis `i` of the result is axis `permutation[i]` of `self`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        precondition(
            permutation.count == rank && Set(permutation) == Set(0..<rank),
            "permuted: \(permutation) is not a permutation of the axes of shape \(shape)")
        if permutation == Array(0..<rank) { return self }
        let outShape = permutation.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let out = Tensor.uninitialized(outShape)
        CopyKernel.copy(
            shape: outShape, from: storage.pointer, strides: permutation.map { inStrides[$0] },
            to: out.storage.pointer, strides: Shape.strides(outShape))
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return Tensor.record(out, operation: "permute", input: self) { g in g.permuted(inverse) }
    }

    /// Axes in reverse order (the matrix transpose for rank 2).
    public func transposed() -> Tensor { permuted(Array((0..<rank).reversed())) }

    /// A new axis of extent 1 inserted at `axis`.
    public func expandingShape(at axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "expandingShape(at:): axis \(axis) out of range for shape \(shape)")
        var s = shape
        s.insert(1, at: a)
        return reshaped(to: s)
    }

    /// Flattened to `[shape[0], rest]`.
    public func flattenedBatch() -> Tensor {
        precondition(rank >= 1, "flattenedBatch: a scalar has no batch axis")
        return reshaped(to: [shape[0], -1])
    }
}
