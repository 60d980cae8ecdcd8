/// Reductions over sets of axes. Results keep the reduced axes with extent 1.
enum ReduceKernel {
    /// Sum over `axes` (sorted, in range).
    static func sum(_ x: Tensor, axes: [Int]) -> Tensor {
        reduce(x, axes: axes, identity: 0, combine: +) { p, n, stride in
            var s0: Float = 0
            var s1: Float = 0
            var s2: Float = 0
            var s3: Float = 0
            var i = 0
            if stride == 1 {
                while i + 4 <= n {
                    s0 += p[i]
                    s1 += p[i + 1]
                    s2 += p[i + 2]
                    s3 += p[i + 3]
                    i += 4
                }
                while i < n {
                    s0 += p[i]
                    i += 1
                }
            } else {
                while i < n {
                    s0 += p[i * stride]
                    i += 1
                }
            }
            return (s0 + s1) + (s2 + s3)
        }
    }

    /// Maximum over `axes` (sorted, in range). NaN propagates.
    static func max(_ x: Tensor, axes: [Int]) -> Tensor {
        let larger: (Float, Float) -> Float = { a, b in (a > b || a.isNaN) ? a : b }
        return reduce(x, axes: axes, identity: -.infinity, combine: larger) { p, n, stride in
            var m: Float = -.infinity
            for i in 0..<n { m = larger(m, p[i * stride]) }
            return m
        }
    }

    @inline(__always)
    private static func reduce(
        _ x: Tensor, axes: [Int], identity: Float, combine: (Float, Float) -> Float,
        run: (UnsafePointer<Float>, Int, Int) -> Float
    ) -> Tensor {
        let outShape = Shape.keeping(x.shape, reducedAxes: axes)
        let out = Tensor(repeating: identity, shape: outShape)
        guard x.scalarCount > 0 else { return out }
        var outStrides = Shape.strides(outShape)
        for a in axes { outStrides[a] = 0 }
        let loop = StridedLoop(shape: x.shape, strides: [outStrides, Shape.strides(x.shape)])
        let so = loop.innerStride(0)
        let sx = loop.innerStride(1)
        let o = out.storage.pointer
        let p = x.storage.pointer
        loop.forEachRun(in: 0..<loop.runCount) { offsets, n in
            if so == 0 {
                o[offsets[0]] = combine(o[offsets[0]], run(p + offsets[1], n, sx))
            } else {
                for i in 0..<n { o[offsets[0] + i * so] = combine(o[offsets[0] + i * so], p[offsets[1] + i * sx]) }
            }
        }
        return out
    }
}
