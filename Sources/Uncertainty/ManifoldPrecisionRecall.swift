import Tensors

/// Improved precision and recall of generated samples (Kynkäänniemi et al. 2019): each set's
/// manifold is the union of balls around its points, each ball reaching the point's k-th
/// nearest neighbour in the same set. Precision is the share of generated points inside the
/// real manifold (how many samples look real); recall the share of real points inside the
/// generated manifold (how much of the data the samples cover). Distances are Euclidean in
/// the feature space given, computed as ‖a‖² + ‖b‖² − 2a·b in blocks of rows.
public enum ManifoldPrecisionRecall {
    /// Precision and recall of `generated` against `real`, both [N, D] features, with k-th
    /// neighbour balls (the paper's k = 3). Each set needs more than k rows.
    public static func measure(real: Tensor, generated: Tensor, k: Int = 3) -> (precision: Double, recall: Double) {
        precondition(real.rank == 2 && generated.rank == 2 && real.shape[1] == generated.shape[1])
        precondition(real.shape[0] > k && generated.shape[0] > k && k >= 1, "ManifoldPrecisionRecall: too few rows")
        let realRadii = kthNeighbourDistances(real, k: k)
        let generatedRadii = kthNeighbourDistances(generated, k: k)
        let precision = shareInside(generated, of: real, radii: realRadii)
        let recall = shareInside(real, of: generated, radii: generatedRadii)
        return (precision, recall)
    }

    /// Each row's squared distance to its k-th nearest other row of the same set.
    static func kthNeighbourDistances(_ points: Tensor, k: Int) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(points.shape[0])
        forEachBlock(of: points, against: points) { start, block, columns in
            for r in 0..<(block.count / columns) {
                var row = Array(block[(r * columns)..<((r + 1) * columns)])
                row[start + r] = .infinity  // not its own neighbour
                // The k-th smallest: a partial selection, k is small.
                var smallest = [Float](repeating: .infinity, count: k)
                for value in row where value < smallest[k - 1] {
                    var i = k - 1
                    while i > 0 && smallest[i - 1] > value {
                        smallest[i] = smallest[i - 1]
                        i -= 1
                    }
                    smallest[i] = value
                }
                result.append(smallest[k - 1])
            }
        }
        return result
    }

    /// The share of `queries` within some point of `manifold`'s ball (squared radii `radii`).
    static func shareInside(_ queries: Tensor, of manifold: Tensor, radii: [Float]) -> Double {
        var inside = 0
        forEachBlock(of: queries, against: manifold) { _, block, columns in
            for r in 0..<(block.count / columns)
            where (0..<columns).contains(where: { block[r * columns + $0] <= radii[$0] }) {
                inside += 1
            }
        }
        return Double(inside) / Double(max(queries.shape[0], 1))
    }

    /// Squared distances from blocks of 1,024 rows of `a` to every row of `b`: `body(first
    /// row, distances row-major [rows, b.count], b.count)`.
    private static func forEachBlock(of a: Tensor, against b: Tensor, _ body: (Int, [Float], Int) -> Void) {
        let bNorms = rowSquaredNorms(b)
        let n = a.shape[0]
        var start = 0
        while start < n {
            let end = min(start + 1024, n)
            let rows = a.sliced(alongAxis: 0, range: start..<end)
            let aNorms = rowSquaredNorms(rows)
            let products = withoutRecording { matmul(rows, b, transposeB: true) }.scalars
            let columns = b.shape[0]
            var distances = products
            for r in 0..<(end - start) {
                for c in 0..<columns {
                    distances[r * columns + c] = max(aNorms[r] + bNorms[c] - 2 * products[r * columns + c], 0)
                }
            }
            body(start, distances, columns)
            start = end
        }
    }

    private static func rowSquaredNorms(_ x: Tensor) -> [Float] {
        let d = x.shape[1]
        let values = x.scalars
        return (0..<x.shape[0]).map { r in
            var s: Float = 0
            for j in 0..<d { s += values[r * d + j] * values[r * d + j] }
            return s
        }
    }
}
