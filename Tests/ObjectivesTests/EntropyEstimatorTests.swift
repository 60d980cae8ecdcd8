import Foundation
import Layers
import Optimizers
import Tensors
import Testing

@testable import Objectives

/// Kim & Bengio's and MEG's entropy terms on generators whose entropy is known.
@Suite struct EntropyEstimatorTests {
    /// x = γ ⊙ BN(W z) + β with z ~ N(0, I₃): Gaussian, with entropy ½ log det(2πe Cov(x)).
    static func batchNormGenerator(w: [Float], scales: [Float]) -> Sequential {
        var norm = BatchNorm(channels: 2)
        norm.weight = Tensor(scales)
        return Sequential([Linear(weight: Tensor(w, shape: [2, 3]), bias: nil), norm])
    }

    /// The Gaussian entropy of samples' covariance, ½ log det(2πe Σ̂) in 2-D.
    static func sampleEntropy(_ x: Tensor) -> Double {
        let v = x.scalars.map(Double.init)
        let n = Double(x.shape[0])
        var mean = [0.0, 0.0]
        for i in 0..<x.shape[0] {
            mean[0] += v[2 * i] / n
            mean[1] += v[2 * i + 1] / n
        }
        var c = [0.0, 0.0, 0.0]
        for i in 0..<x.shape[0] {
            let a = v[2 * i] - mean[0]
            let b = v[2 * i + 1] - mean[1]
            c[0] += a * a / n
            c[1] += a * b / n
            c[2] += b * b / n
        }
        let determinant = c[0] * c[2] - c[1] * c[1]
        return 0.5 * Foundation.log(pow(2 * Double.pi * M_E, 2) * determinant)
    }

    /// Uncorrelated units: the estimate is the entropy. Correlated ones: it overestimates
    /// by −½ log det R (R the units' correlation matrix), as the method assumes independence.
    @Test func batchNormEntropyIsExactForIndependentUnitsOnly() {
        var rng = SeededGenerator(seed: 21)
        let z = Tensor(randomNormal: [20_000, 3], using: &rng)
        let context = ForwardContext(state: ForwardState(isTraining: true))
        let independent = Self.batchNormGenerator(w: [2, 0, 0, 0, 0.5, 0], scales: [0.7, 1.6])
        let estimate = Double(BatchNormEntropy.entropy(of: independent).scalar)
        #expect(abs(estimate - Self.sampleEntropy(independent(z, context: context))) < 0.02)
        #expect(BatchNormEntropy.unitCount(of: AnyLayer(Sequential([independent]))) == 2)

        let w: [Float] = [1, 0.8, 0, 0.8, 1, 0.1]
        let correlated = Self.batchNormGenerator(w: w, scales: [0.7, 1.6])
        let rho =
            Double(w[0] * w[3] + w[1] * w[4] + w[2] * w[5])
            / (Double(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]) * Double(w[3] * w[3] + w[4] * w[4] + w[5] * w[5]))
            .squareRoot()
        let gap =
            Double(BatchNormEntropy.entropy(of: correlated).scalar)
            - Self.sampleEntropy(correlated(z, context: context))
        #expect(abs(gap - -0.5 * Foundation.log(1 - rho * rho)) < 0.05, "gap \(gap)")
    }

    @Test func batchNormEntropyGradientIsOneOverScale() {
        let generator = Self.batchNormGenerator(w: [1, 0, 0, 0, 1, 0], scales: [0.5, 2])
        let g = gradient(at: generator) { BatchNormEntropy.entropy(of: $0) }
        let scale = (g.layers[1] as? BatchNorm)?.weight.scalars ?? []
        #expect(scale.count == 2 && abs(scale[0] - 2) < 1e-4 && abs(scale[1] - 0.5) < 1e-4, "\(scale)")
        #expect(
            BatchNormEntropy.entropy(of: Sequential([Linear(weight: Tensor([1], shape: [1, 1]), bias: nil)])).scalar
                == 0)
    }

    /// The Jensen–Shannon bound, with T trained at a fixed generator x = a z + ε, grows with
    /// I(z; x) = ½ log(1 + a²) per dimension (log(1 + a²) over both) and stays in [−2 log 2, 0]. (Measured: −1.35 at
    /// a = 0.3, −0.51 at a = 3, the floor being −1.39.)
    @Test func jensenShannonEstimateOrdersGeneratorsByMutualInformation() {
        func trainedEstimate(scale: Float, seed: UInt64) -> Float {
            var rng = SeededGenerator(seed: seed)
            var t = MutualInformationEntropy.statisticsNetwork(sampleSize: 2, latentSize: 2, width: 16, using: &rng)
            var adam = Adam()
            var estimates: [Float] = []
            for step in 0..<250 {
                let z = Tensor(randomNormal: [128, 2], using: &rng)
                let x = z * scale + Tensor(randomNormal: [128, 2], using: &rng)
                var estimate: Float = 0
                let g = gradient(at: t) { t in
                    let result = MutualInformationEntropy.loss(
                        statistics: t, x: x, z: z, context: .inference(), using: &rng)
                    estimate = result.estimate
                    return result.loss
                }
                adam.update(&t, along: g, learningRate: 3e-3)
                if step >= 200 { estimates.append(estimate) }
            }
            return estimates.reduce(0, +) / Float(estimates.count)
        }
        let low = trainedEstimate(scale: 0.3, seed: 31)
        let high = trainedEstimate(scale: 3, seed: 32)
        let floor = -2 * Float(Foundation.log(2.0))
        #expect(low >= floor - 0.02 && high <= 0.01, "estimates \(low), \(high)")
        #expect(high > low + 0.3, "I(z; x) 0.086 nats gave \(low); 2.30 nats gave \(high)")
    }
}
