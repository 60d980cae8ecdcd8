/// Tensors joined along `axis`; all other extents must agree. The derivative slices the
/// cotangent back into the pieces.
public func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: no tensors")
    let first = tensors[0]
    let a = Shape.axes([axis], rank: first.rank, op: "concatenate", shape: first.shape)[0]
    for t in tensors {
        precondition(
            t.rank == first.rank && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
            "concatenate: shape \(t.shape) does not match \(first.shape) off axis \(a)")
    }
    var outShape = first.shape
    outShape[a] = tensors.map { $0.shape[a] }.reduce(0, +)
    let out = Tensor.uninitialized(outShape)
    let outStrides = Shape.strides(outShape)
    var starts: [Int] = []
    var position = 0
    for t in tensors {
        starts.append(position)
        CopyKernel.copy(
            shape: t.shape, from: t.storage.pointer, strides: Shape.strides(t.shape),
            to: out.storage.pointer + position * outStrides[a], strides: outStrides)
        position += t.shape[a]
    }
    let extents = tensors.map { $0.shape[a] }
    return Tensor.record(out, operation: "concatenate", inputs: tensors) { g, needed in
        (0..<extents.count).map { i in
            needed[i] ? g.sliced(alongAxis: a, range: starts[i]..<(starts[i] + extents[i])) : nil
        }
    }
}
