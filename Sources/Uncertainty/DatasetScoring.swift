import Datasets
import Foundation
import Metrics
import Sampling
import Tensors

/// Computes class probabilities and OOD scores for every image of a dataset, in batches.
public struct DatasetScoring {
    /// The scores to compute (each must be supported by the model).
    public var scores: [OODScore]
    /// Images per forward pass.
    public var batchSize = 256
    /// Seeds the SGLD-refinement score's noise (per batch: seed + batch index), so results
    /// do not depend on anything but the set and the seed.
    public var seed: UInt64 = 0

    /// A scoring that computes `scores`, with the default batch size (256) and seed (0).
    public init(scores: [OODScore]) { self.scores = scores }

    /// Scores `dataset` under `model`; `progress(done, total)` is called after each batch.
    public func run(
        _ dataset: ImageDataset, name: String, model: ScoringModel,
        progress: ((Int, Int) -> Void)? = nil
    ) -> ScoredSet {
        for score in scores {
            precondition(model.supports(score), "DatasetScoring: the model has no classifier head for \(score.name)")
        }
        var logits: [[Double]]? = model.logits == nil ? nil : []
        var probabilities = logits
        var values = Dictionary(uniqueKeysWithValues: scores.map { ($0, [Double]()) })
        var start = 0
        var batchIndex: UInt64 = 0
        while start < dataset.count {
            let indices = Array(start..<min(start + batchSize, dataset.count))
            let (images, _) = dataset.batch(indices)
            let batch = scoreBatch(images, model: model, seed: seed &+ batchIndex)
            if let f = batch.logits { logits?.append(contentsOf: f) }
            if let p = batch.probabilities { probabilities?.append(contentsOf: p) }
            for (score, v) in batch.scores { values[score, default: []].append(contentsOf: v) }
            start += indices.count
            batchIndex += 1
            progress?(start, dataset.count)
        }
        return ScoredSet(
            name: name, labels: dataset.labels, logits: logits, probabilities: probabilities, scores: values)
    }

    /// One batch's logits, probabilities and scores; `ensemble` from its members, computed alongside.
    func scoreBatch(_ x: Tensor, model: ScoringModel, seed: UInt64)
        -> (logits: [[Double]]?, probabilities: [[Double]]?, scores: [OODScore: [Double]])
    {
        guard scores.contains(.ensemble), let standardisation = model.standardisation else {
            return scoreMembers(x, model: model, seed: seed)
        }
        var expanded = self
        expanded.scores = scores.filter { $0 != .ensemble }
        expanded.scores += OODScore.ensembleMembers.filter { !expanded.scores.contains($0) }
        var batch = expanded.scoreMembers(x, model: model, seed: seed)
        batch.scores[.ensemble] = Standardisation.ensemble(
            batch.scores, members: OODScore.ensembleMembers, standardisations: standardisation, count: x.shape[0])
        for member in OODScore.ensembleMembers where !scores.contains(member) { batch.scores[member] = nil }
        return batch
    }

    /// `scoreBatch` for scores other than `ensemble`.
    private func scoreMembers(_ x: Tensor, model: ScoringModel, seed: UInt64)
        -> (logits: [[Double]]?, probabilities: [[Double]]?, scores: [OODScore: [Double]])
    {
        var result: [OODScore: [Double]] = [:]
        var probabilities: [[Double]]?
        var logitRows: [[Double]]?
        withoutRecording {
            if let logits = model.logits.map({ $0(x) }) {
                // Probabilities in Double from the logits: a Float softmax rounds confident
                // rows to exactly 1, and those ties would blunt the max-softmax score.
                logitRows = rows(logits)
                probabilities = logitRows.map { ClassificationMetrics.probabilities(fromLogits: $0) }
                for score in scores {
                    switch score {
                    case .logDensity: result[score] = column(logits.logSumExp(squeezingAxes: [1]))
                    case .maxSoftmax: result[score] = probabilities?.map { $0.max() ?? 0 }
                    case .maxLogit: result[score] = column(logits.max(squeezingAxes: [1]))
                    case .energy(let t): result[score] = column((logits / t).logSumExp(squeezingAxes: [1]) * t)
                    default: break
                    }
                }
            } else {
                let negativeEnergy = column(-model.energy(x))
                for score in scores {
                    switch score {
                    case .logDensity, .energy: result[score] = negativeEnergy
                    default: break
                    }
                }
            }
            scoreFitted(x, model: model, into: &result)
        }
        for score in scores {
            switch score {
            case .inputGradientNorm:
                let (_, gradient) = energyAndGradient(model.energy, at: x)
                result[score] = rows(gradient.reshaped(to: [x.shape[0], x.scalarCount / max(x.shape[0], 1)]))
                    .map { -($0.reduce(0) { $0 + $1 * $1 }).squareRoot() }
            case .sgldRefinement(let steps, let stepSize, let noise):
                var generator = SeededGenerator(seed: seed)
                let refined = SGLD(steps: steps, stepSize: stepSize, noise: noise)
                    .run(from: x, energy: model.energy, using: &generator).samples
                let (before, after) = withoutRecording { (column(model.energy(x)), column(model.energy(refined))) }
                result[score] = zip(after, before).map { $0 - $1 }
            case .mahalanobis(let epsilon) where epsilon > 0:
                guard let gaussians = model.gaussians, let features = model.features else { break }
                // Lee et al.'s pre-processing: a step of ε against the gradient of the distance to
                // the nearest class, which brings in-distribution inputs closer than OOD ones.
                let (_, gradient) = energyAndGradient({ gaussians.minimumDistance(features($0)) }, at: x)
                let moved = x - gradient.sign() * epsilon
                result[score] = gaussians.scores(withoutRecording { features(moved) })
            default: break
            }
        }
        return (logitRows, probabilities, result)
    }

    /// The scores that read what was fitted for the model (features, a background model) or the image's
    /// complexity, into `result`.
    private func scoreFitted(_ x: Tensor, model: ScoringModel, into result: inout [OODScore: [Double]]) {
        var logDensity: [Double]?
        func density() -> [Double] {
            if let logDensity { return logDensity }
            let values = result[.logDensity] ?? column(-model.energy(x))
            logDensity = values
            return values
        }
        var complexity: [Double]?
        var features: Tensor?
        func featureValues() -> Tensor? {
            if features == nil { features = model.features.map { $0(x) } }
            return features
        }
        for score in scores {
            switch score {
            case .complexity(let given):
                guard let weight = given.map(Double.init) ?? model.complexityWeight else { break }
                // Compressed once per batch, however many complexity weights are asked for.
                let bits = complexity ?? InputComplexity.bits(x)
                complexity = bits
                result[score] = zip(density(), bits).map { $0 + weight * $1 * M_LN2 }
            case .likelihoodRatio:
                guard let background = model.backgroundEnergy else { break }
                result[score] = zip(density(), column(background(x))).map { $0 + $1 }
            case .mahalanobis(let epsilon) where epsilon == 0:
                guard let gaussians = model.gaussians, let f = featureValues() else { break }
                result[score] = gaussians.scores(f)
            case .knn(let k):
                guard let bank = model.bank, let f = featureValues() else { break }
                result[score] = bank.scores(f, k: k)
            default: break
            }
        }
    }

    private func column(_ t: Tensor) -> [Double] { t.withUnsafeBufferPointer { $0.map(Double.init) } }

    private func rows(_ t: Tensor) -> [[Double]] {
        let n = t.shape[0]
        let k = t.shape[1]
        return t.withUnsafeBufferPointer { p in (0..<n).map { i in (0..<k).map { Double(p[i * k + $0]) } } }
    }
}
