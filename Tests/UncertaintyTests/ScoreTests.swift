import Datasets
import Foundation
import Layers
import Sampling
import Tensors
import Testing

@testable import Uncertainty

@Suite struct ScoreTests {
    /// f(x) = W x + b with W = [[1, 0], [0, 2], [−1, 1]], b = (0, 0.5, 0).
    static var classifier: Linear {
        Linear(weight: Tensor([1, 0, 0, 2, -1, 1], shape: [3, 2]), bias: Tensor([0, 0.5, 0]))
    }

    static func logSumExp(_ v: [Double]) -> Double {
        let m = v.max() ?? 0
        return m + log(v.map { exp($0 - m) }.reduce(0, +))
    }

    @Test func namesRoundTrip() {
        let all: [OODScore] = [
            .logDensity, .maxSoftmax, .maxLogit, .energy(temperature: 1), .energy(temperature: 2.5),
            .inputGradientNorm, .sgldRefinement(steps: 10, stepSize: 1, noise: 0.01),
            .sgldRefinement(steps: 5, stepSize: 1, noise: 0.01), .sgldRefinement(steps: 3, stepSize: 0.5, noise: 0),
        ]
        for score in all { #expect(OODScore(name: score.name) == score, "\(score.name)") }
        #expect(OODScore(name: "energy@2.5")?.name == "energy@2.5")
        for bad in ["", "energy@0", "energy@-1", "energy@x", "sgld-delta@0", "sgld-delta@3:1", "log-px@2", "nope"] {
            #expect(OODScore(name: bad) == nil, "\(bad)")
        }
    }

    @Test func classifierScoresMatchHandComputedValues() {
        // Inputs (1, 2) and (−1, 0.5): logits (1, 4.5, 1) and (−1, 1.5, 1.5).
        let x = Tensor([1, 2, -1, 0.5], shape: [2, 2])
        let logits: [[Double]] = [[1, 4.5, 1], [-1, 1.5, 1.5]]
        let scoring = DatasetScoring(scores: [.logDensity, .maxSoftmax, .maxLogit, .energy(temperature: 2)])
        let (_, probabilities, scores) = scoring.scoreBatch(
            x, model: ScoringModel(classifier: Self.classifier), seed: 0)
        for (i, row) in logits.enumerated() {
            let lse = Self.logSumExp(row)
            #expect(abs((scores[.logDensity]?[i] ?? .nan) - lse) < 1e-5)
            #expect(abs((scores[.maxSoftmax]?[i] ?? .nan) - exp((row.max() ?? 0) - lse)) < 1e-6)
            #expect(abs((scores[.maxLogit]?[i] ?? .nan) - (row.max() ?? 0)) < 1e-6)
            #expect(abs((scores[.energy(temperature: 2)]?[i] ?? .nan) - 2 * Self.logSumExp(row.map { $0 / 2 })) < 1e-5)
            let p = probabilities?[i] ?? []
            #expect(abs(p.reduce(0, +) - 1) < 1e-6 && abs(p[1] - exp(row[1] - lse)) < 1e-6)
        }
    }

    @Test func gradientNormIsTheNormOfTheLogDensityGradient() {
        // ∇ₓ logsumexp(Wx + b) = Wᵀ softmax(Wx + b): checked against central differences.
        let x = Tensor([1, 2, -1, 0.5], shape: [2, 2])
        let model = ScoringModel(classifier: Self.classifier)
        let scores = DatasetScoring(scores: [.inputGradientNorm]).scoreBatch(x, model: model, seed: 0).scores
        let h: Float = 1e-3
        for i in 0..<2 {
            var squared = 0.0
            for j in 0..<2 {
                func logDensity(_ delta: Float) -> Double {
                    var v = x.scalars
                    v[i * 2 + j] += delta
                    return -Double(withoutRecording { model.energy(Tensor(v, shape: [2, 2])) }.scalars[i])
                }
                let derivative = (logDensity(h) - logDensity(-h)) / Double(2 * h)
                squared += derivative * derivative
            }
            #expect(abs((scores[.inputGradientNorm]?[i] ?? .nan) + squared.squareRoot()) < 2e-3)
        }
    }

    @Test func refinementScoreIsTheEnergyChangeUnderSGLD() {
        let x = Tensor([1, 2, -1, 0.5], shape: [2, 2])
        let model = ScoringModel(classifier: Self.classifier)
        let score = OODScore.sgldRefinement(steps: 4, stepSize: 0.1, noise: 0)
        let values = DatasetScoring(scores: [score]).scoreBatch(x, model: model, seed: 7).scores[score] ?? []
        // Noise-free SGLD from the same start: x ← x − η ∇E(x), four times.
        var generator = SeededGenerator(seed: 7)
        let refined = SGLD(steps: 4, stepSize: 0.1, noise: 0).run(from: x, energy: model.energy, using: &generator)
            .samples
        let before = withoutRecording { model.energy(x) }.scalars
        let after = withoutRecording { model.energy(refined) }.scalars
        for i in 0..<2 { #expect(abs(values[i] - Double(after[i] - before[i])) < 1e-6) }
        // Descent lowers the energy: the score is ≤ 0.
        #expect(values.allSatisfy { $0 <= 1e-7 })
    }

    @Test func anEnergyModelWithoutAHeadGetsOnlyEnergyScores() {
        let model = ScoringModel(energy: { ($0 * $0).sum(squeezingAxes: [1]) * 0.5 })
        #expect(
            model.supports(.logDensity) && model.supports(.inputGradientNorm) && model.supports(.energy(temperature: 1))
        )
        #expect(!model.supports(.maxSoftmax) && !model.supports(.maxLogit) && !model.supports(.energy(temperature: 2)))
        let x = Tensor([3, 4], shape: [1, 2])
        let (logits, probabilities, scores) = DatasetScoring(scores: [.logDensity, .inputGradientNorm]).scoreBatch(
            x, model: model, seed: 0)
        #expect(probabilities == nil && logits == nil)
        #expect(abs((scores[.logDensity]?[0] ?? .nan) + 12.5) < 1e-5)  // −½‖x‖²
        #expect(abs((scores[.inputGradientNorm]?[0] ?? .nan) + 5) < 1e-5)  // −‖x‖
    }

    @Test func datasetScoringKeepsOrderAcrossBatches() {
        // 2×1×1 "images": a dataset of 5 scored in batches of 2 equals one batch of 5.
        let pixels: [UInt8] = [0, 255, 10, 20, 128, 64, 200, 100, 30, 90]
        let set = ImageDataset(
            name: "tiny", pixels: pixels, labels: [0, 1, 2, 0, 1], channels: 2, height: 1, width: 1,
            classNames: ["a", "b", "c"])
        let model = ScoringModel(classifier: Sequential([Flatten(), Self.classifier]))
        var small = DatasetScoring(scores: [.logDensity, .maxSoftmax, .inputGradientNorm])
        small.batchSize = 2
        var large = small
        large.batchSize = 5
        let a = small.run(set, name: "tiny", model: model)
        let b = large.run(set, name: "tiny", model: model)
        #expect(a.count == 5 && a.labels == [0, 1, 2, 0, 1])
        for score in small.scores {
            let u = a.scores[score] ?? []
            let v = b.scores[score] ?? []
            #expect(u.count == 5 && v.count == 5, "\(score.name)")
            for (p, q) in zip(u, v) { #expect(abs(p - q) < 1e-6) }
        }
        #expect(a.predictions == b.predictions && a.predictions?.count == 5)
    }
}
