// Gathering slices by integer index and its adjoint, scatter-add. Each is the other's derivative.

extension Tensor {
    /// The slices at `indices` along `axis`, in that order (repeats allowed): the result's
    /// extent on `axis` is `indices.count`.
    public func gathering(atIndices indices: [Int], alongAxis axis: Int) -> Tensor {
        let a = Shape.axes([axis], rank: rank, op: "gathering", shape: shape)[0]
        for i in indices {
            precondition(
                i >= 0 && i < shape[a], "gathering: index \(i) is out of range for axis \(a) of shape \(shape)")
        }
        var outShape = shape
        outShape[a] = indices.count
        let out = Tensor.uninitialized(outShape)
        GatherKernel.gather(from: storage.pointer, shape: shape, axis: a, indices: indices, to: out.storage.pointer)
        let inputShape = shape
        return Tensor.record(out, operation: "gather", input: self) { g in
            g.scatteringAdd(atIndices: indices, alongAxis: a, into: inputShape)
        }
    }

    /// A zero tensor of `shape` with slice `i` of `self` along `axis` added at `indices[i]`
    /// (repeated indices accumulate): the adjoint of `gathering`.
    public func scatteringAdd(atIndices indices: [Int], alongAxis axis: Int, into shape: [Int]) -> Tensor {
        let a = Shape.axes([axis], rank: rank, op: "scatteringAdd", shape: self.shape)[0]
        var expected = shape
        precondition(shape.count == rank, "scatteringAdd: shape \(self.shape) cannot scatter into \(shape)")
        expected[a] = indices.count
        precondition(
            expected == self.shape, "scatteringAdd: shape \(self.shape) cannot scatter into \(shape) along axis \(a)")
        for i in indices {
            precondition(
                i >= 0 && i < shape[a], "scatteringAdd: index \(i) is out of range for axis \(a) of shape \(shape)")
        }
        let out = Tensor.zeros(shape)
        GatherKernel.scatterAdd(from: storage.pointer, shape: shape, axis: a, indices: indices, to: out.storage.pointer)
        return Tensor.record(out, operation: "scatterAdd", input: self) { g in
            g.gathering(atIndices: indices, alongAxis: a)
        }
    }
}

/// Loops behind gathering and scatter-add: blocks of `inner` contiguous elements.
enum GatherKernel {
    static func gather(
        from source: UnsafePointer<Float>, shape: [Int], axis: Int, indices: [Int],
        to destination: UnsafeMutablePointer<Float>
    ) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        for o in 0..<outer {
            for (j, i) in indices.enumerated() {
                (destination + (o * indices.count + j) * inner)
                    .update(from: source + (o * shape[axis] + i) * inner, count: inner)
            }
        }
    }

    static func scatterAdd(
        from source: UnsafePointer<Float>, shape: [Int], axis: Int, indices: [Int],
        to destination: UnsafeMutablePointer<Float>
    ) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        for o in 0..<outer {
            for (j, i) in indices.enumerated() {
                let d = destination + (o * shape[axis] + i) * inner
                let s = source + (o * indices.count + j) * inner
                for k in 0..<inner { d[k] += s[k] }
            }
        }
    }
}
