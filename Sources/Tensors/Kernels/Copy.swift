/// Strided copies: broadcasting, permuting, slicing and padding all move elements from one
/// layout to another without arithmetic.
enum CopyKernel {
    /// Copies `shape` elements read at `source + sourceStrides·i` to `destination +
    /// destinationStrides·i`.
    static func copy(
        shape: [Int],
        from source: UnsafePointer<Float>, strides sourceStrides: [Int],
        to destination: UnsafeMutablePointer<Float>, strides destinationStrides: [Int]
    ) {
        guard shape.reduce(1, *) > 0 else { return }
        let loop = StridedLoop(shape: shape, strides: [destinationStrides, sourceStrides])
        let d = SharedPointer(destination)
        let s = SharedPointer(source)
        let sd = loop.innerStride(0)
        let ss = loop.innerStride(1)
        parallelChunks(loop.runCount, minimumPerChunk: max(1, (1 << 16) / loop.runLength)) { runs in
            loop.forEachRun(in: runs) { offsets, n in
                let o = d.base + offsets[0]
                let x = s.base + offsets[1]
                if sd == 1 && ss == 1 {
                    o.update(from: x, count: n)
                } else if sd == 1 && ss == 0 {
                    o.update(repeating: x[0], count: n)
                } else {
                    for i in 0..<n { o[i * sd] = x[i * ss] }
                }
            }
        }
    }

    /// `x` materialised at `shape` (NumPy broadcasting).
    static func broadcast(_ x: Tensor, to shape: [Int]) -> Tensor {
        let out = Tensor.uninitialized(shape)
        copy(
            shape: shape, from: x.storage.pointer, strides: broadcastStrides(of: x.shape, in: shape),
            to: out.storage.pointer, strides: Shape.strides(shape))
        return out
    }
}
