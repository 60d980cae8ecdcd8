/// Shape arithmetic shared by the operations: validation, strides, broadcasting, axes.
enum Shape {
    /// Stops on negative extents.
    static func validate(_ shape: [Int], in op: String) {
        precondition(shape.allSatisfy { $0 >= 0 }, "\(op): negative extent in shape \(shape)")
    }

    /// Row-major strides of a contiguous tensor.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= shape[i]
        }
        return strides
    }

    /// NumPy broadcasting: align trailing axes; extents must agree or be 1.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(
                da == db || da == 1 || db == 1,
                "\(op): shapes \(a) and \(b) do not broadcast (axis \(i): \(da) vs \(db))")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Whether `shape` broadcasts to `target` (and so can be summed back to it).
    static func broadcasts(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let offset = target.count - shape.count
        for i in 0..<shape.count where shape[i] != 1 && shape[i] != target[i + offset] { return false }
        return true
    }

    /// Normalises possibly negative axes and checks range and uniqueness.
    static func axes(_ axes: [Int], rank: Int, op: String, shape: [Int]) -> [Int] {
        let normalized = axes.map { $0 < 0 ? $0 + rank : $0 }
        for (given, axis) in zip(axes, normalized) {
            precondition(
                axis >= 0 && axis < rank,
                "\(op): axis \(given) is out of range for shape \(shape) (rank \(rank))")
        }
        precondition(Set(normalized).count == normalized.count, "\(op): repeated axis in \(axes)")
        return normalized.sorted()
    }

    /// `shape` with the given axes set to 1.
    static func keeping(_ shape: [Int], reducedAxes axes: [Int]) -> [Int] {
        var s = shape
        for a in axes { s[a] = 1 }
        return s
    }

    /// `shape` with the given axes removed.
    static func squeezing(_ shape: [Int], axes: [Int]) -> [Int] {
        shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }
}
