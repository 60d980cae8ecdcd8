import Foundation
import Tensors
import Testing

@testable import Uncertainty

/// The Fréchet distance and improved precision/recall against cases computed by hand.
@Suite struct SampleQualityMetricsTests {
    /// [[2, 1], [1, 2]] has eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2.
    @Test func symmetricEigenvaluesAndVectors() {
        let (values, vectors) = SymmetricEigen.decompose([2, 1, 1, 2], dimension: 2)
        #expect(abs(values[0] - 1) < 1e-12 && abs(values[1] - 3) < 1e-12)
        // Column 1 is ±(1, 1)/√2.
        #expect(abs(abs(vectors[1]) - 0.5.squareRoot()) < 1e-12 && abs(vectors[1] - vectors[3]) < 1e-12)
        let root = FrechetDistance.squareRoot([2, 1, 1, 2], dimension: 2)
        let square = FrechetDistance.multiply(root, root, 2)
        #expect(zip(square, [2, 1, 1, 2] as [Double]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// N((0, 0), I) against N((1, 2), [[2, 1], [1, 2]]): ‖Δμ‖² 5, traces 2 + 4, and
    /// tr (I^½ Σ I^½)^½ = √3 + 1, so d² = 11 − 2(√3 + 1) = 9 − 2√3.
    @Test func frechetDistanceOfTwoGaussians() {
        let a = FrechetDistance.Moments(mean: [0, 0], covariance: [1, 0, 0, 1], dimension: 2)
        let b = FrechetDistance.Moments(mean: [1, 2], covariance: [2, 1, 1, 2], dimension: 2)
        #expect(abs(FrechetDistance.squared(a, b) - (9 - 2 * 3.0.squareRoot())) < 1e-10)
        #expect(abs(FrechetDistance.squared(b, a) - (9 - 2 * 3.0.squareRoot())) < 1e-10)
        #expect(FrechetDistance.squared(b, b) < 1e-10)
        // Diagonal covariances: ‖Δμ‖² + Σ(σ₁ − σ₂)².
        let c = FrechetDistance.Moments(mean: [0, 0, 0], covariance: [4, 0, 0, 0, 9, 0, 0, 0, 1], dimension: 3)
        let e = FrechetDistance.Moments(mean: [0, 1, 0], covariance: [1, 0, 0, 0, 1, 0, 0, 0, 1], dimension: 3)
        #expect(abs(FrechetDistance.squared(c, e) - (1 + 1 + 4 + 0)) < 1e-10)
    }

    /// Rows (1, 2), (3, 6), (5, 4): mean (3, 4); unbiased covariance [[4, 2], [2, 4]].
    @Test func momentsAreUnbiased() {
        let m = FrechetDistance.Moments([1, 2, 3, 6, 5, 4], dimension: 2)
        #expect(m.mean == [3, 4] && m.covariance == [4, 2, 2, 4])
    }

    /// Real points 0, 1, 2, 3 on a line (k = 1: every ball has radius 1); generated 0.5 and
    /// 10 and 10.5 (radii 9.5, 0.5, 0.5). Precision: 0.5 is inside, 10 and 10.5 are not → 1/3.
    /// Recall: every real point lies within 9.5 of 0.5 → 1.
    @Test func precisionAndRecallOnALine() {
        let real = Tensor([0, 1, 2, 3], shape: [4, 1])
        let generated = Tensor([0.5, 10, 10.5], shape: [3, 1])
        let (precision, recall) = ManifoldPrecisionRecall.measure(real: real, generated: generated, k: 1)
        #expect(abs(precision - 1.0 / 3) < 1e-12 && recall == 1)
        // k = 2: real radii 2, 1, 1, 2 (squared 4, 1, 1, 4); generated radii 10, 9.5, 10.
        let (p2, r2) = ManifoldPrecisionRecall.measure(real: real, generated: generated, k: 2)
        #expect(abs(p2 - 1.0 / 3) < 1e-12 && r2 == 1)
        #expect(ManifoldPrecisionRecall.kthNeighbourDistances(real, k: 2) == [4, 1, 1, 4])
    }
}
