import Foundation
import Layers
import Optimizers
import Sampling
import Tensors
import Testing

@testable import Objectives

/// Score-matching objectives: their values against hand computation and each other, and
/// that minimising each one recovers a Gaussian's parameters (or the known optimum of the
/// smoothed objectives).
@Suite struct ScoreMatchingTests {
    /// E(x) = ½‖B(x − μ)‖², i.e. precision A = BᵀB; parameters [μ (1×2), B (2×2)].
    static func gaussianEnergy(_ p: [Tensor]) -> EnergyFunction {
        { x in 0.5 * matmul(x - p[0], p[1], transposeB: true).squared().sum(squeezingAxes: [1]) }
    }

    /// A small MLP energy 2 → 8 → 1 with softplus, fixed by a seed.
    static func mlpEnergy(seed: UInt64) -> EnergyFunction {
        var generator = SeededGenerator(seed: seed)
        let first = Linear(inputSize: 2, outputSize: 8, using: &generator)
        let second = Linear(inputSize: 8, outputSize: 1, using: &generator)
        return { x in
            second(first(x, context: .inference()).softplus(), context: .inference()).reshaped(to: [x.shape[0]])
        }
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }

    @Test func exactObjectiveOfAQuadraticEnergyByHand() throws {
        // E = ½ xᵀAx with A = BᵀB, B = [[1, 0], [0.5, 2]] → A = [[1.25, 1], [1, 4]]; μ = 0.
        // ∇E = Ax, tr ∇²E = tr A = 5.25. For x = (1, 0): ½‖(1.25, 1)‖² − 5.25 = 1.28125 − 5.25;
        // for x = (0, 1): ½‖(1, 4)‖² − 5.25 = 8.5 − 5.25. Mean: (−3.96875 + 3.25) / 2 = −0.359375.
        let energy = Self.gaussianEnergy([Tensor([0, 0], shape: [1, 2]), Tensor([1, 0, 0.5, 2], shape: [2, 2])])
        let value = try ScoreMatching.exact(energy: energy, data: Tensor([1, 0, 0, 1], shape: [2, 2])).scalar
        #expect(abs(Double(value) + 0.359375) < 1e-5, "\(value)")
        #expect(throws: ScoreMatchingError.dimensionTooLarge(dimension: 2, limit: 1)) {
            try ScoreMatching.exact(energy: energy, data: Tensor([1, 0, 0, 1], shape: [2, 2]), maximumDimension: 1)
        }
    }

    @Test(arguments: ScoreMatching.Projection.allCases, [false, true])
    func slicedAveragesToTheExactObjective(projection: ScoreMatching.Projection, varianceReduced: Bool) throws {
        // 16 points, each repeated 250 times: one sliced pass averages 4,000 projections.
        var generator = SeededGenerator(seed: 11)
        let points = Tensor(randomNormal: [16, 2], using: &generator)
        let energy = Self.mlpEnergy(seed: 5)
        let exact = Double(try ScoreMatching.exact(energy: energy, data: points).scalar)
        let repeated = concatenate(Array(repeating: points, count: 250), alongAxis: 0)
        var estimates: [Double] = []
        for _ in 0..<4 {
            estimates.append(
                Double(
                    ScoreMatching.sliced(
                        energy: energy, data: repeated, distribution: projection,
                        varianceReduced: varianceReduced, using: &generator
                    ).scalar))
        }
        let mean = estimates.reduce(0, +) / 4
        // The estimators differ from the exact value only by zero-mean noise; with 16,000
        // projections in all its spread is far below this tolerance.
        #expect(
            Self.close(mean, exact, 0.02 + 0.02 * abs(exact)),
            "\(projection) VR \(varianceReduced): \(mean) vs exact \(exact)")
    }

    /// Fits μ and B by Adam on `loss`; returns μ and A = BᵀB.
    static func fit(
        steps: Int = 400, learningRate: Float = 0.05,
        loss: (EnergyFunction, inout SeededGenerator) throws -> Tensor
    ) rethrows -> (mean: [Double], precision: [Double]) {
        var parameters = [Tensor([0, 0], shape: [1, 2]), Tensor([1, 0, 0, 1], shape: [2, 2])]
        var adam = Adam()
        var generator = SeededGenerator(seed: 99)
        for step in 0..<steps {
            let g = try gradient(at: parameters) { p in try loss(Self.gaussianEnergy(p), &generator) }
            let rate = learningRate * (step < steps * 3 / 4 ? 1 : 0.1)
            adam.update(&parameters, gradients: g, learningRate: rate)
        }
        let b = parameters[1].scalars.map(Double.init)
        let a = [
            b[0] * b[0] + b[2] * b[2], b[0] * b[1] + b[2] * b[3], b[0] * b[1] + b[2] * b[3], b[1] * b[1] + b[3] * b[3],
        ]
        return (parameters[0].scalars.map(Double.init), a)
    }

    /// Data N(μ*, Σ*), μ* = (1, −0.5), Σ* = [[1, 0.5], [0.5, 0.8]]: 2,000 points.
    static let trueMean = [1.0, -0.5]
    static let covariance = [1.0, 0.5, 0.5, 0.8]
    static let data: Tensor = {
        var generator = SeededGenerator(seed: 7)
        let z = Tensor(randomNormal: [2_000, 2], using: &generator).scalars
        // Cholesky of Σ*: L = [[1, 0], [0.5, √0.55]].
        let l11 = 0.55.squareRoot()
        var values: [Float] = []
        for i in 0..<2_000 {
            let z0 = Double(z[2 * i])
            let z1 = Double(z[2 * i + 1])
            values += [Float(1 + z0), Float(-0.5 + 0.5 * z0 + l11 * z1)]
        }
        return Tensor(values, shape: [2_000, 2])
    }()

    /// (Σ* + cI)⁻¹ · scale.
    static func inverse(shiftedBy c: Double, scale: Double = 1) -> [Double] {
        let a = covariance[0] + c
        let b = covariance[1]
        let d = covariance[3] + c
        let det = a * d - b * b
        return [d / det, -b / det, -b / det, a / det].map { $0 * scale }
    }

    static func expectRecovered(
        _ fitted: (mean: [Double], precision: [Double]), precision expected: [Double], _ name: String
    ) {
        for k in 0..<2 { #expect(abs(fitted.mean[k] - trueMean[k]) < 0.08, "\(name) μ: \(fitted.mean)") }
        let error = zip(fitted.precision, expected).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let size = expected.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(error / size < 0.1, "\(name) precision \(fitted.precision) vs \(expected)")
    }

    /// The first 1,000 points: the exact and sliced losses cost several backward passes a step.
    static let half = data.sliced(alongAxis: 0, range: 0..<1_000)

    // Their optimum is the data's own precision Σ*⁻¹.
    @Test func exactRecoversTheGaussian() throws {
        Self.expectRecovered(
            try Self.fit { energy, _ in try ScoreMatching.exact(energy: energy, data: Self.half) },
            precision: Self.inverse(shiftedBy: 0), "exact")
    }

    @Test func slicedRecoversTheGaussian() {
        Self.expectRecovered(
            Self.fit { energy, g in ScoreMatching.sliced(energy: energy, data: Self.half, using: &g) },
            precision: Self.inverse(shiftedBy: 0), "sliced")
    }

    @Test func varianceReducedSlicedRecoversTheGaussian() {
        Self.expectRecovered(
            Self.fit { energy, g in
                ScoreMatching.sliced(
                    energy: energy, data: Self.half, distribution: .gaussian, varianceReduced: true, using: &g)
            }, precision: Self.inverse(shiftedBy: 0), "sliced-vr")
    }

    @Test func denoisingRecoversTheSmoothedGaussian() {
        // Fixed noise draws make the objective deterministic. Optimum: (Σ* + σ²I)⁻¹.
        var generator = SeededGenerator(seed: 8)
        let noise = Tensor(randomNormal: [2_000, 2], using: &generator)
        let sigma: Float = 0.5
        let fitted = Self.fit { energy, _ in
            ScoreMatching.denoising(energy: energy, data: Self.data, sigma: sigma, noise: noise)
        }
        Self.expectRecovered(fitted, precision: Self.inverse(shiftedBy: 0.25), "dsm")
    }

    @Test func multiscaleFormsReachTheirKnownOptima() {
        // Levels {1, 0.5, 0.25} in equal thirds; with m₁ = E[σ] and m₂ = E[σ²], least squares gives
        //   noise-scaled:  A = m₁ (Σ* + m₂ I)⁻¹,   single-energy (σ₀): A = m₂/σ₀² (Σ* + m₂ I)⁻¹.
        var generator = SeededGenerator(seed: 9)
        let noise = Tensor(randomNormal: [2_000, 2], using: &generator)
        let sigmas: [Float] = [1, 0.5, 0.25]
        let levels = (0..<2_000).map { sigmas[$0 % 3] }
        let m1 = 1.75 / 3
        let m2 = 1.3125 / 3
        let scaled = Self.fit { energy, _ in
            ScoreMatching.multiscaleDenoising(
                energy: energy, data: Self.data, levels: levels, noise: noise, form: .noiseScaled)
        }
        Self.expectRecovered(scaled, precision: Self.inverse(shiftedBy: m2, scale: m1), "mdsm noise-scaled")
        let single = Self.fit { energy, _ in
            ScoreMatching.multiscaleDenoising(
                energy: energy, data: Self.data, levels: levels, noise: noise,
                form: .singleEnergy(referenceSigma: 0.5))
        }
        Self.expectRecovered(single, precision: Self.inverse(shiftedBy: m2, scale: m2 / 0.25), "mdsm single-energy")
    }

    @Test func theGaussianEnergyMatchesTheScoreOfTheSmoothedDensity() {
        // For E = ½(x − μ)ᵀA(x − μ) the forms' scores are −A(x − μ)/σ and −(σ₀/σ)²A(x − μ).
        let energy = Self.gaussianEnergy([Tensor([1, 2], shape: [1, 2]), Tensor([2, 0, 0, 1], shape: [2, 2])])
        let x = Tensor([0, 0], shape: [1, 2])
        #expect(MultiscaleForm.noiseScaled.score(energy)(x, 0.5).scalars == [8, 4])
        #expect(MultiscaleForm.singleEnergy(referenceSigma: 1).score(energy)(x, 2).scalars == [1, 0.5])
    }
}
