import Metrics
import Uncertainty

extension RunEvaluation {
    /// Why `model`, of a run trained with `objective`, cannot give `score`, naming the scores it can give.
    static func cannotGive(_ score: OODScore, model: ScoringModel, objective: some CustomStringConvertible) -> String {
        "score \(score.name) needs "
            + (score.needsFeatures
                ? "penultimate features, which this model does not expose"
                : "a classifier head, which this \(objective) energy does not have")
            + " (available: \(availableScores(model)))"
    }

    /// The names of the scores `model` could compute, for error messages.
    static func availableScores(_ model: ScoringModel) -> String {
        let all: [OODScore] = [
            .logDensity, .maxSoftmax, .maxLogit, .energy(temperature: 1), .inputGradientNorm,
            .sgldRefinement(steps: 10, stepSize: 1, noise: 0.01), .complexity(weight: nil), .likelihoodRatio,
            .mahalanobis(preprocessing: 0), .knn(neighbours: OODScore.defaultNeighbours),
        ]
        return all.filter(model.canFit).map(\.name).joined(separator: ", ")
    }

    /// The typicality test against each OOD set: batches of each size from the in-distribution set (positive)
    /// and from the OOD set, scored −|mean energy − Ĥ| (the energies being −log-px).
    static func typicality(_ test: TypicalityTest, sets: [ScoredSet], batchSizes: [Int], seed: UInt64)
        -> [OODResult]
    {
        guard let inSet = sets.first, let inDensity = inSet.scores[.logDensity] else { return [] }
        var results: [OODResult] = []
        for set in sets.dropFirst() {
            guard let outDensity = set.scores[.logDensity] else { continue }
            for m in batchSizes {
                let inBatches = test.batchScores(energies: inDensity.map { -$0 }, batchSize: m, seed: seed)
                let outBatches = test.batchScores(energies: outDensity.map { -$0 }, batchSize: m, seed: seed &+ 1)
                guard let d = try? DetectionMetrics.compute(inDistribution: inBatches, outOfDistribution: outBatches)
                else { continue }
                results.append(
                    OODResult(
                        dataset: set.name, group: OODSet(name: set.name)?.group.rawValue ?? "user",
                        score: "typicality@\(m)", auroc: d.auroc, auprIn: d.auprIn,
                        auprOut: d.auprOut, fpr95: d.fpr95, detectionError: d.detectionError, inCount: d.inCount,
                        outCount: d.outCount))
            }
        }
        return results
    }
}
