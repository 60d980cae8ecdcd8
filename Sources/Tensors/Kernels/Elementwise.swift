/// A pointer that may cross into the worker threads of `parallelChunks` or `Kernels.forEachChunk`; each
/// worker touches a disjoint range.
public struct SharedPointer<T>: @unchecked Sendable {
    /// The shared address.
    public let base: UnsafeMutablePointer<T>
    /// Shares a mutable address.
    public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    /// Shares a read-only address (the workers only read through it).
    public init(_ base: UnsafePointer<T>) { self.base = UnsafeMutablePointer(mutating: base) }
}

/// Elementwise loops. Pure functions from input storage to new output storage.
enum ElementwiseKernel {
    /// `f` applied to every element.
    @inline(__always)
    static func map(_ x: Tensor, _ f: @Sendable @escaping (Float) -> Float) -> Tensor {
        let out = Tensor.uninitialized(x.shape)
        let src = SharedPointer(x.storage.pointer)
        let dst = SharedPointer(out.storage.pointer)
        parallelChunks(x.scalarCount) { range in
            let s = src.base
            let d = dst.base
            for i in range { d[i] = f(s[i]) }
        }
        return out
    }

    /// `f` applied pairwise with NumPy broadcasting.
    @inline(__always)
    static func zip(
        _ a: Tensor, _ b: Tensor, op: String,
        _ f: @Sendable @escaping (Float, Float) -> Float
    ) -> Tensor {
        if a.shape == b.shape {
            let out = Tensor.uninitialized(a.shape)
            let pa = SharedPointer(a.storage.pointer)
            let pb = SharedPointer(b.storage.pointer)
            let po = SharedPointer(out.storage.pointer)
            parallelChunks(a.scalarCount) { range in
                let x = pa.base
                let y = pb.base
                let o = po.base
                for i in range { o[i] = f(x[i], y[i]) }
            }
            return out
        }
        let shape = Shape.broadcast(a.shape, b.shape, op: op)
        let out = Tensor.uninitialized(shape)
        let loop = StridedLoop(
            shape: shape,
            strides: [
                Shape.strides(shape), broadcastStrides(of: a.shape, in: shape),
                broadcastStrides(of: b.shape, in: shape),
            ])
        let pa = SharedPointer(a.storage.pointer)
        let pb = SharedPointer(b.storage.pointer)
        let po = SharedPointer(out.storage.pointer)
        let sa = loop.innerStride(1)
        let sb = loop.innerStride(2)
        parallelChunks(loop.runCount, minimumPerChunk: max(1, (1 << 16) / loop.runLength)) { runs in
            loop.forEachRun(in: runs) { offsets, n in
                let o = po.base + offsets[0]
                let x = pa.base + offsets[1]
                let y = pb.base + offsets[2]
                if sa == 1 && sb == 1 {
                    for i in 0..<n { o[i] = f(x[i], y[i]) }
                } else if sa == 1 && sb == 0 {
                    let v = y[0]
                    for i in 0..<n { o[i] = f(x[i], v) }
                } else if sa == 0 && sb == 1 {
                    let v = x[0]
                    for i in 0..<n { o[i] = f(v, y[i]) }
                } else {
                    for i in 0..<n { o[i] = f(x[i * sa], y[i * sb]) }
                }
            }
        }
        return out
    }

    /// `f` applied to three same-shaped tensors.
    @inline(__always)
    static func zip3(
        _ a: Tensor, _ b: Tensor, _ c: Tensor,
        _ f: @Sendable @escaping (Float, Float, Float) -> Float
    ) -> Tensor {
        let out = Tensor.uninitialized(a.shape)
        let pa = SharedPointer(a.storage.pointer)
        let pb = SharedPointer(b.storage.pointer)
        let pc = SharedPointer(c.storage.pointer)
        let po = SharedPointer(out.storage.pointer)
        parallelChunks(a.scalarCount) { range in
            let x = pa.base
            let y = pb.base
            let z = pc.base
            let o = po.base
            for i in range { o[i] = f(x[i], y[i], z[i]) }
        }
        return out
    }
}
