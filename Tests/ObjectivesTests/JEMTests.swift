import Foundation
import Layers
import Sampling
import Tensors
import Testing

@testable import Objectives

@Suite struct JEMTests {
    /// f(x) = W x + b with W = [[1, 0], [0, 2], [−1, 1]], b = (0, 0.5, 0): 3 classes, 2 inputs.
    static var classifier: Linear {
        Linear(weight: Tensor([1, 0, 0, 2, -1, 1], shape: [3, 2]), bias: Tensor([0, 0.5, 0]))
    }

    static func logSumExp(_ v: [Double]) -> Double {
        let m = v.max() ?? 0
        return m + log(v.map { exp($0 - m) }.reduce(0, +))
    }

    @Test func energiesAreReadFromTheLogits() {
        let jem = JointEnergyModel(Self.classifier)
        let x = Tensor([1, 2, -1, 0.5], shape: [2, 2])
        // Logits: (1, 4.5, 1) and (−1, 1.5, 1.5).
        let expected = [-Self.logSumExp([1, 4.5, 1]), -Self.logSumExp([-1, 1.5, 1.5])]
        for (value, e) in zip(jem.energy(x).scalars, expected) { #expect(abs(Double(value) - e) < 1e-5) }
        #expect(jem.energy(x, labels: [1, 0]).scalars == [-4.5, 1])
        for (value, e) in zip(jem.unnormalizedLogDensity(x).scalars, expected) {
            #expect(abs(Double(value) + e) < 1e-5)
        }
        let p = jem.classProbabilities(x).scalars
        #expect(abs(Double(p[1]) - exp(4.5 + expected[0])) < 1e-5)
    }

    @Test func theLossAddsItsTermsWithTheirWeights() {
        let data = Tensor([1, 2, -1, 0.5], shape: [2, 2])
        let samples = Tensor([0, 0, 3, -1], shape: [2, 2])
        let labels = [1, 2]
        let weights = JEMWeights(classification: 1, marginal: 0.5, conditional: 2, energySquared: 0.1)
        let (loss, terms) = jemLoss(
            Self.classifier, data: data, labels: labels, samples: samples, sampleLabels: labels,
            weights: weights, context: .inference())
        // By hand: logits of data (1, 4.5, 1), (−1, 1.5, 1.5); of samples (0, 0.5, 0), (3, −1.5, −4).
        let ed = [-Self.logSumExp([1, 4.5, 1]), -Self.logSumExp([-1, 1.5, 1.5])]
        let es = [-Self.logSumExp([0, 0.5, 0]), -Self.logSumExp([3, -1.5, -4])]
        let ce = ((-ed[0] - 4.5) + (-ed[1] - 1.5)) / 2
        let edy = (-4.5 + -1.5) / 2
        let esy = (-0.5 + 4) / 2
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        let expected =
            ce + 0.5 * (mean(ed) - mean(es)) + 2 * (edy - esy) + 0.1
            * (mean(ed.map { $0 * $0 }) + mean(es.map { $0 * $0 }))
        #expect(abs(Double(loss.scalar) - expected) < 1e-4, "\(loss.scalar) vs \(expected)")
        #expect(abs(Double(terms.crossEntropy) - ce) < 1e-5 && terms.accuracy == 0.5)
        #expect(abs(Double(terms.energyGap) - (mean(ed) - mean(es))) < 1e-5)
    }

    @Test func theLossGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let model = Linear(inputSize: 4, outputSize: 3, using: &generator)
        let data = Tensor(randomNormal: [5, 4], using: &generator)
        let samples = Tensor(randomNormal: [5, 4], using: &generator)
        let labels = [0, 2, 1, 1, 0]
        let weights = JEMWeights(marginal: 1, conditional: 0.5, energySquared: 0.1)
        let loss = { (m: Linear) in
            jemLoss(
                m, data: data, labels: labels, samples: samples, sampleLabels: labels, weights: weights,
                context: .inference()
            ).loss
        }
        let g = gradient(at: model, of: loss)
        let h: Float = 1e-2
        for index in [0, 5, 11] {
            func shifted(_ delta: Float) -> Float {
                var w = model.weight.scalars
                w[index] += delta
                return loss(Linear(weight: Tensor(w, shape: [3, 4]), bias: model.bias)).scalar
            }
            let numeric = (shifted(h) - shifted(-h)) / (2 * h)
            #expect(
                abs(numeric - g.weight.scalars[index]) < 2e-3,
                "weight \(index): \(numeric) vs \(g.weight.scalars[index])")
        }
    }

    @Test func persistentChainsLowerTheEnergyAndReturnToTheBuffer() {
        var generator = SeededGenerator(seed: 4)
        var chains = PersistentChains(
            buffer: ReplayBuffer(
                size: 50, sampleShape: [2], classes: nil, reinitializationRate: 0,
                using: &generator),
            sgld: SGLD(steps: 30, stepSize: 0.05, noise: 0.001))
        let jem = JointEnergyModel(Self.classifier)
        let (samples, indices, norm) = chains.sample(from: Self.classifier, count: 20, using: &generator)
        let before = jem.energy(chains.buffer.samples.gathering(atIndices: indices, alongAxis: 0)).mean().scalar
        #expect(jem.energy(samples).mean().scalar < before - 0.1)
        #expect(norm > 0)
        chains.commit(samples, at: indices)
        // Draws are with replacement (as in the reference); an entry drawn twice keeps the last chain.
        for (row, index) in indices.enumerated() where indices.lastIndex(of: index) == row {
            #expect(
                chains.buffer.samples.sliced(alongAxis: 0, range: index..<(index + 1)).scalars
                    == samples.sliced(alongAxis: 0, range: row..<(row + 1)).scalars)
        }
        // Class-conditional chains descend E(x, y) of their own labels.
        var conditional = PersistentChains(
            buffer: ReplayBuffer(
                size: 30, sampleShape: [2], classes: 3, reinitializationRate: 0,
                using: &generator),
            sgld: SGLD(steps: 30, stepSize: 0.05, noise: 0))
        let labels = [0, 1, 2, 1]
        let (ys, yIndices, _) = conditional.sample(from: Self.classifier, count: 4, labels: labels, using: &generator)
        let start = conditional.buffer.samples.gathering(atIndices: yIndices, alongAxis: 0)
        for (after, before) in zip(jem.energy(ys, labels: labels).scalars, jem.energy(start, labels: labels).scalars) {
            #expect(after < before)
        }
    }
}
