import Tensors

/// The k-nearest-neighbour score of Sun et al. (2022): penultimate features normalised to
/// unit length, and the score −‖z − z₍ₖ₎‖, minus the distance from an input's normalised
/// feature z to its k-th nearest normalised training feature (higher = more in-distribution).
/// No class labels, no distributional assumption.
public struct FeatureBank: Sendable {
    /// The training features, each normalised to unit length [M, D].
    public let features: Tensor

    /// Feature size D.
    public var dimension: Int { features.shape[1] }
    /// Features held, M.
    public var count: Int { features.shape[0] }

    /// A bank of `features` [M, D], normalised here (a zero row stays zero).
    public init(normalising features: Tensor) throws {
        guard features.rank == 2, features.shape[0] >= 1 else {
            throw FittedScoreError("a feature bank needs features of shape [M, D], got \(features.shape)")
        }
        self.features = Self.normalised(features)
    }

    /// A bank read back from a file: already normalised, so only checked (rank 2, finite, unit rows).
    public init(normalised features: Tensor) throws {
        guard features.rank == 2, features.shape[0] >= 1 else {
            throw FittedScoreError("a feature bank needs features of shape [M, D], got \(features.shape)")
        }
        let d = features.shape[1]
        let bad = features.withUnsafeBufferPointer { p in
            (0..<features.shape[0]).first { row in
                var norm: Float = 0
                for j in 0..<d { norm += p[row * d + j] * p[row * d + j] }
                return !(norm.isFinite && (abs(norm - 1) < 1e-3 || norm == 0))
            }
        }
        if let bad { throw FittedScoreError("feature bank row \(bad) is not of unit length") }
        self.features = features
    }

    /// −(distance to the k-th nearest bank feature) for each row of `queries` [N, D]; `k` is clamped to the
    /// bank's size. Queries go through in blocks so the similarity matrix stays small.
    public func scores(_ queries: Tensor, k: Int) -> [Double] {
        precondition(queries.rank == 2 && queries.shape[1] == dimension, "FeatureBank: queries \(queries.shape)")
        let k = min(max(k, 1), count)
        let n = queries.shape[0]
        let normalisedQueries = Self.normalised(queries)
        var result: [Double] = []
        result.reserveCapacity(n)
        let block = 256
        var start = 0
        while start < n {
            let rows = min(block, n - start)
            let slice = normalisedQueries.sliced(alongAxis: 0, range: start..<(start + rows))
            let similarities = withoutRecording { matmul(slice, features, transposeB: true) }
            similarities.withUnsafeBufferPointer { p in
                for row in 0..<rows {
                    let s = Self.kthLargest(p, offset: row * count, length: count, k: k)
                    // Unit vectors: ‖a − b‖² = 2 − 2 a·b.
                    result.append(-max(2 - 2 * Double(s), 0).squareRoot())
                }
            }
            start += rows
        }
        return result
    }

    /// The k-th largest of `length` values from `offset`, keeping the k largest in a min-heap.
    static func kthLargest(_ p: UnsafeBufferPointer<Float>, offset: Int, length: Int, k: Int) -> Float {
        var heap = [Float]()
        heap.reserveCapacity(k)
        for i in 0..<length {
            let v = p[offset + i]
            if heap.count < k {
                heap.append(v)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard heap[child] < heap[parent] else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else if v > heap[0] {
                heap[0] = v
                var parent = 0
                while true {
                    let (left, right) = (2 * parent + 1, 2 * parent + 2)
                    var smallest = parent
                    if left < k && heap[left] < heap[smallest] { smallest = left }
                    if right < k && heap[right] < heap[smallest] { smallest = right }
                    guard smallest != parent else { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
        }
        return heap[0]
    }

    /// Each row divided by its Euclidean length (a zero row stays zero).
    static func normalised(_ x: Tensor) -> Tensor {
        let (n, d) = (x.shape[0], x.shape[1])
        return x.withUnsafeBufferPointer { p in
            let scales = (0..<n).map { row -> Float in
                var norm: Float = 0
                for j in 0..<d { norm += p[row * d + j] * p[row * d + j] }
                return norm > 0 ? 1 / norm.squareRoot() : 0
            }
            return Tensor(shape: x.shape) { i in p[i] * scales[i / d] }
        }
    }
}
