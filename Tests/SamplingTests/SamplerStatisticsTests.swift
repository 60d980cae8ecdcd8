import Foundation
import Tensors
import Testing

@testable import Sampling

/// Samplers against densities whose moments are known, with fixed seeds. Tolerances allow
/// for Monte Carlo error (about 3 standard errors at these chain counts) and, for the
/// unadjusted Langevin chain, its O(η) bias.
@Suite struct SamplerStatisticsTests {
    /// E(x) = ½ (x − μ)ᵀ Σ⁻¹ (x − μ) with μ = (1, −2), Σ = [[1, 0.5], [0.5, 2]].
    static let mean: [Double] = [1, -2]
    static let covariance: [Double] = [1, 0.5, 0.5, 2]
    static func gaussianEnergy(_ x: Tensor) -> Tensor {
        let determinant = covariance[0] * covariance[3] - covariance[1] * covariance[2]
        let precision = Tensor(
            [covariance[3], -covariance[1], -covariance[2], covariance[0]].map { Float($0 / determinant) },
            shape: [2, 2])
        let centred = x - Tensor(mean.map(Float.init), shape: [1, 2])
        return 0.5 * (centred * matmul(centred, precision)).sum(squeezingAxes: [1])
    }

    /// Weights 0.3 / 0.7 on N((−1.5, 0), I) and N((1.5, 0), I): E = −log Σₖ wₖ exp(−‖x − μₖ‖²/2).
    static func mixtureEnergy(_ x: Tensor) -> Tensor {
        let a = x - Tensor([-1.5, 0], shape: [1, 2])
        let b = x - Tensor([1.5, 0], shape: [1, 2])
        let logits = concatenate(
            [
                (Float(log(0.3)) - 0.5 * a.squared().sum(alongAxes: [1])),
                (Float(log(0.7)) - 0.5 * b.squared().sum(alongAxes: [1])),
            ], alongAxis: 1)
        return -logits.logSumExp(squeezingAxes: [1])
    }
    /// P(x₀ > 0) under the mixture: 0.3 Φ(−1.5) + 0.7 Φ(1.5).
    static let mixtureRightMass = 0.3 * 0.0668072 + 0.7 * 0.9331928

    static func moments(_ samples: Tensor) -> (mean: [Double], covariance: [Double]) {
        let v = samples.scalars.map(Double.init)
        let n = Double(samples.shape[0])
        let m = [
            stride(from: 0, to: v.count, by: 2).map { v[$0] }.reduce(0, +) / n,
            stride(from: 1, to: v.count, by: 2).map { v[$0] }.reduce(0, +) / n,
        ]
        var c = [0.0, 0, 0, 0]
        for i in stride(from: 0, to: v.count, by: 2) {
            let d = [v[i] - m[0], v[i + 1] - m[1]]
            for r in 0..<2 { for s in 0..<2 { c[r * 2 + s] += d[r] * d[s] / (n - 1) } }
        }
        return (m, c)
    }

    static func expectGaussianMoments(_ samples: Tensor, meanTolerance: Double, covarianceTolerance: Double) {
        let (m, c) = moments(samples)
        for i in 0..<2 { #expect(abs(m[i] - mean[i]) < meanTolerance, "mean \(m) against \(mean)") }
        for i in 0..<4 {
            #expect(abs(c[i] - covariance[i]) < covarianceTolerance, "covariance \(c) against \(covariance)")
        }
    }

    @Test func exactLangevinMatchesTheGaussian() {
        var generator = SeededGenerator(seed: 11)
        let start = Tensor(randomUniform: [2000, 2], lower: -3, upper: 3, using: &generator)
        let (samples, norm) = SGLD.langevin(steps: 400, stepSize: 0.02).run(
            from: start, energy: Self.gaussianEnergy, using: &generator)
        Self.expectGaussianMoments(samples, meanTolerance: 0.1, covarianceTolerance: 0.15)
        #expect(norm > 0)
    }

    @Test func malaMatchesTheGaussianAndAcceptsMost() {
        var generator = SeededGenerator(seed: 12)
        let start = Tensor(randomUniform: [2000, 2], lower: -3, upper: 3, using: &generator)
        let (samples, rate) = MALA(steps: 200, stepSize: 0.2).run(
            from: start, energy: Self.gaussianEnergy, using: &generator)
        Self.expectGaussianMoments(samples, meanTolerance: 0.1, covarianceTolerance: 0.15)
        #expect(rate > 0.6 && rate < 1, "acceptance \(rate)")
    }

    @Test func metropolisMatchesTheGaussian() {
        var generator = SeededGenerator(seed: 13)
        let start = Tensor(randomUniform: [2000, 2], lower: -3, upper: 3, using: &generator)
        let (samples, rate) = RandomWalkMetropolis(steps: 300, proposalScale: 1).run(
            from: start, energy: Self.gaussianEnergy, using: &generator)
        Self.expectGaussianMoments(samples, meanTolerance: 0.1, covarianceTolerance: 0.15)
        #expect(rate > 0.3 && rate < 0.8, "acceptance \(rate)")
    }

    @Test(arguments: ["langevin", "mala", "metropolis"]) func samplersFindTheMixtureWeights(_ sampler: String) {
        var generator = SeededGenerator(seed: 14)
        let start = Tensor(randomUniform: [3000, 2], lower: -4, upper: 4, using: &generator)
        let samples: Tensor =
            switch sampler {
            case "langevin":
                SGLD.langevin(steps: 600, stepSize: 0.05).run(
                    from: start, energy: Self.mixtureEnergy, using: &generator
                ).samples
            case "mala":
                MALA(steps: 400, stepSize: 0.3).run(from: start, energy: Self.mixtureEnergy, using: &generator).samples
            default:
                RandomWalkMetropolis(steps: 400, proposalScale: 1.5).run(
                    from: start, energy: Self.mixtureEnergy, using: &generator
                ).samples
            }
        let xs = stride(from: 0, to: samples.scalarCount, by: 2).map { samples.scalars[$0] }
        let right = Double(xs.filter { $0 > 0 }.count) / Double(xs.count)
        #expect(
            abs(right - Self.mixtureRightMass) < 0.035,
            "\(sampler): P(x > 0) = \(right), expected \(Self.mixtureRightMass)")
        // The mixture's mean is 0.3·(−1.5) + 0.7·1.5 = 0.6 along x, 0 along y.
        let (m, _) = Self.moments(samples)
        #expect(abs(m[0] - 0.6) < 0.1 && abs(m[1]) < 0.1, "\(sampler): mean \(m)")
    }

    @Test func sgldWithoutNoiseDescendsAndClamps() {
        var generator = SeededGenerator(seed: 15)
        let start = Tensor([4, 4, -4, -4], shape: [2, 2])
        let descent = SGLD(steps: 200, stepSize: 0.1, noise: 0)
        let (samples, _) = descent.run(from: start, energy: Self.gaussianEnergy, using: &generator)
        for (value, expected) in zip(samples.scalars, [1, -2, 1, -2] as [Float]) {
            #expect(abs(value - expected) < 1e-3)
        }
        let clamped = SGLD(steps: 5, stepSize: 1, noise: 0.5, clampRange: -1...1).run(
            from: start, energy: Self.gaussianEnergy, using: &generator
        ).samples
        #expect(clamped.scalars.allSatisfy { (-1...1).contains($0) })
        let decaying = SGLD(steps: 11, stepSize: 1, noise: 0, finalStepSize: 0.01)
        #expect(abs(decaying.stepSize(at: 0) - 1) < 1e-6 && abs(decaying.stepSize(at: 10) - 0.01) < 1e-6)
        #expect(abs(decaying.stepSize(at: 5) - 0.1) < 1e-5)
    }
}
