/// The loop nest behind every elementwise, broadcasting, copying and reducing kernel.
///
/// Operands are described by element strides over a common iteration shape (0 where an
/// operand is broadcast or reduced). Axes that are contiguous for every operand are
/// merged and axes of extent 1 dropped, so the common cases (same shape, per-channel
/// bias, reduction over trailing axes) become a few long inner runs.
struct StridedLoop {
    /// Extents after merging, outermost first.
    let shape: [Int]
    /// Per operand, strides after merging.
    let strides: [[Int]]

    init(shape: [Int], strides: [[Int]]) {
        var mergedShape: [Int] = []
        var mergedStrides: [[Int]] = strides.map { _ in [] }
        for axis in 0..<shape.count where shape[axis] != 1 {
            let extent = shape[axis]
            if let last = mergedShape.last,
                strides.indices.allSatisfy({ mergedStrides[$0].last! == strides[$0][axis] * extent })
            {
                mergedShape[mergedShape.count - 1] = last * extent
                for k in strides.indices { mergedStrides[k][mergedStrides[k].count - 1] = strides[k][axis] }
            } else {
                mergedShape.append(extent)
                for k in strides.indices { mergedStrides[k].append(strides[k][axis]) }
            }
        }
        if mergedShape.isEmpty {
            mergedShape = [1]
            mergedStrides = strides.map { _ in [0] }
        }
        self.shape = mergedShape
        self.strides = mergedStrides
    }

    /// Length of each inner run.
    var runLength: Int { shape.last! }
    /// Number of inner runs.
    var runCount: Int { shape.dropLast().reduce(1, *) }
    /// Per operand, the stride inside a run.
    func innerStride(_ operand: Int) -> Int { strides[operand].last! }

    /// Starting offsets of each operand for run number `run`.
    @inline(__always)
    func offsets(ofRun run: Int, into offsets: inout [Int]) {
        for k in offsets.indices { offsets[k] = 0 }
        var rest = run
        var axis = shape.count - 2
        while axis >= 0 {
            let i = rest % shape[axis]
            rest /= shape[axis]
            for k in offsets.indices { offsets[k] += i * strides[k][axis] }
            axis -= 1
        }
    }

    /// Calls `body(offsets, runLength)` for every inner run of `runs`.
    @inline(__always)
    func forEachRun(in runs: Range<Int>, _ body: (_ offsets: [Int], _ length: Int) -> Void) {
        var offsets = [Int](repeating: 0, count: strides.count)
        for run in runs {
            self.offsets(ofRun: run, into: &offsets)
            body(offsets, runLength)
        }
    }
}

/// Strides of `shape` seen from the iteration shape `target` (0 on broadcast axes;
/// `shape` is aligned to the trailing axes of `target`).
func broadcastStrides(of shape: [Int], in target: [Int]) -> [Int] {
    let own = Shape.strides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { axis in
        axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
    }
}
