import Foundation
import Metrics
import Runs
import Tensors

/// How far a set of samples lies from reference data: the unbiased MMD² under a Gaussian
/// kernel, each sample flattened to a vector.
public enum SampleDiscrepancy {
    /// MMD² of `samples` against `reference`; with no `bandwidth`, the median distance
    /// between reference points (the median heuristic, for images whose scale is unknown).
    public static func mmd2(_ samples: Tensor, _ reference: Tensor, bandwidth: Double?) throws -> Double {
        let x = rows(samples)
        let y = rows(reference)
        return try MaximumMeanDiscrepancy.squared(x, y, bandwidth: bandwidth ?? medianDistance(y))
    }

    /// The rows of a tensor flattened per sample.
    static func rows(_ t: Tensor) -> [[Double]] {
        let n = t.shape[0]
        let d = n == 0 ? 0 : t.scalarCount / n
        let v = t.scalars
        return (0..<n).map { i in (0..<d).map { Double(v[i * d + $0]) } }
    }

    /// The median Euclidean distance over all pairs (1 when every pair coincides).
    static func medianDistance(_ points: [[Double]]) -> Double {
        var distances: [Double] = []
        distances.reserveCapacity(points.count * (points.count - 1) / 2)
        for i in points.indices {
            for j in points.indices where j > i {
                var sum = 0.0
                for k in points[i].indices {
                    let d = points[i][k] - points[j][k]
                    sum += d * d
                }
                distances.append(sum.squareRoot())
            }
        }
        guard !distances.isEmpty else { return 1 }
        distances.sort()
        let median = distances[distances.count / 2]
        return median > 0 ? median : 1
    }
}
