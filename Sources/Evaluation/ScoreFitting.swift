import Datasets
import Foundation
import Runs
import Sampling
import Tensors
import Uncertainty

/// Fits what the OOD scores need for one checkpoint: the penultimate features' class
/// Gaussians and k-NN bank and the typicality test's entropy from the training split, and
/// every requested score's values on the calibration half of the validation hold-out (the
/// thresholds follow from them). What an earlier fit for the same weights already holds is
/// reused unless a refit is asked for.
public struct ScoreFitting {
    /// Images per forward pass.
    public var batchSize = 256
    /// The likelihood ratio's background model, when one is given.
    public var background: (reference: BackgroundReference, energy: EnergyFunction)?

    /// A fitting with the default batch size and no background model.
    public init() {}

    /// A fit holding what `scores` need, starting from `existing` (same weights) when given.
    ///
    /// - Throws: `EvaluationError` when the run has no validation hold-out, a score needs features the model
    ///   does not expose, or the likelihood ratio has no background model.
    public func fit(
        _ checkpoint: TrainingCheckpoint, url: URL, model bare: ScoringModel, scores requested: [OODScore],
        existing: StoredScoreFit?, log: (String) -> Void
    ) throws -> (fit: StoredScoreFit, model: ScoringModel) {
        // The ensemble is fitted through its members: their statistics, then their spread on validation.
        let members = requested.contains(.ensemble) ? OODScore.ensembleMembers : []
        let scores = requested.filter { $0 != .ensemble } + members.filter { !requested.contains($0) }
        var model = bare
        for score in scores where !model.canFit(score) {
            throw EvaluationError.invalid(
                RunEvaluation.cannotGive(score, model: model, objective: checkpoint.configuration.core.objective))
        }
        let data = try TrainingData.load(checkpoint.configuration)
        guard let validation = data.validation else {
            throw EvaluationError.invalid(
                "the run has no validation hold-out to fit the scores on (validation-size 0?)")
        }
        let calibration = validation.subset(HoldOutPartition.split(count: validation.count).calibration)
        var fit =
            existing
            ?? StoredScoreFit(
                checkpoint: url.lastPathComponent, step: checkpoint.progress.step, runID: checkpoint.progress.runID,
                modelDigest: checkpoint.modelDigest, fittedAt: Date(), trainingCount: data.train.count,
                validationCount: calibration.count, validationScores: [:])
        fit.fittedAt = Date()
        let wantsFeatures = scores.contains { $0.needsFeatures } && (fit.gaussians == nil || fit.bank == nil)
        if wantsFeatures || fit.typicality == nil {
            let started = Date()
            let (features, energies) = try trainingPass(data.train, model: model, features: wantsFeatures)
            fit.typicality = try TypicalityTest(trainingEnergies: energies)
            if let features {
                do {
                    fit.gaussians = try FeatureGaussians(
                        fitting: features, labels: data.train.labels,
                        classes: max(data.train.classNames.count, (data.train.labels.max() ?? 0) + 1))
                    fit.bank = try FeatureBank(normalising: features)
                } catch {
                    throw EvaluationError.invalid("fitting the feature statistics: \(error)")
                }
            }
            fit.trainingCount = data.train.count
            log(
                "fitted on the training split (\(data.train.count) images"
                    + (features.map { ", \($0.shape[1]) features" } ?? "")
                    + ") in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
        if scores.contains(.likelihoodRatio) {
            guard let background else {
                throw EvaluationError.invalid(
                    "score likelihood-ratio needs a background model: give --background RUN or FILE "
                        + "(a run trained on perturbed inputs, e.g. joule train --mutation-rate 0.2)")
            }
            if fit.background != background.reference { fit.validationScores[OODScore.likelihoodRatio.name] = nil }
            fit.background = background.reference
            model.backgroundEnergy = background.energy
        }
        if scores.contains(.complexity(weight: nil)) && fit.complexityWeight == nil {
            let (density, bits) = densityAndBits(calibration, model: model)
            let weight = InputComplexity.balancingWeight(logDensity: density, bits: bits)
            fit.complexityWeight = weight
            // The pass that fitted the weight gives the validation values too; no second pass for them.
            fit.validationScores[OODScore.complexity(weight: nil).name] = zip(density, bits).map {
                $0 + weight * $1 * M_LN2
            }
            if scores.contains(.logDensity) && fit.validationScores[OODScore.logDensity.name] == nil {
                fit.validationScores[OODScore.logDensity.name] = density
            }
            log("complexity weight w = σ(log p)/σ(L ln 2) on the validation half: \(weight)")
        }
        model.gaussians = fit.gaussians
        model.bank = fit.bank
        model.complexityWeight = fit.complexityWeight
        let missing = scores.filter { fit.validationScores[$0.name] == nil }
        if !missing.isEmpty {
            var scoring = DatasetScoring(scores: missing)
            scoring.batchSize = batchSize
            let scored = scoring.run(calibration, name: "validation", model: model)
            for score in missing { fit.validationScores[score.name] = scored.scores[score] }
        }
        if !members.isEmpty {
            let values = Dictionary(uniqueKeysWithValues: members.map { ($0, fit.validationScores[$0.name] ?? []) })
            let standardisation = values.mapValues(Standardisation.of)
            fit.standardisation = standardisation
            model.standardisation = standardisation
            fit.validationScores[OODScore.ensemble.name] = Standardisation.ensemble(
                values, members: members, standardisations: standardisation, count: calibration.count)
        }
        fit.validationCount = calibration.count
        return (fit, model)
    }

    /// log p(x) and L(x) in bits of every image of `set`, from which the complexity weight is fitted.
    func densityAndBits(_ set: ImageDataset, model: ScoringModel) -> (density: [Double], bits: [Double]) {
        var scoring = DatasetScoring(scores: [.logDensity])
        scoring.batchSize = batchSize
        let density = scoring.run(set, name: "validation", model: model).scores[.logDensity] ?? []
        var bits: [Double] = []
        var start = 0
        while start < set.count {
            let indices = Array(start..<min(start + batchSize, set.count))
            bits += InputComplexity.bits(set.batch(indices).images)
            start += indices.count
        }
        return (density, bits)
    }

    /// One pass over the training split: energies, and the penultimate features when asked.
    func trainingPass(_ train: ImageDataset, model: ScoringModel, features wanted: Bool) throws
        -> (features: Tensor?, energies: [Double])
    {
        var rows: [Float] = []
        var width = 0
        var energies: [Double] = []
        energies.reserveCapacity(train.count)
        var start = 0
        while start < train.count {
            let indices = Array(start..<min(start + batchSize, train.count))
            let (images, _) = train.batch(indices)
            withoutRecording {
                energies.append(contentsOf: model.energy(images).scalars.map(Double.init))
                if wanted, let extract = model.features {
                    let f = extract(images)
                    width = f.shape[1]
                    rows.append(contentsOf: f.scalars)
                }
            }
            start += indices.count
        }
        guard wanted, width > 0 else { return (nil, energies) }
        return (Tensor(rows, shape: [train.count, width]), energies)
    }
}
