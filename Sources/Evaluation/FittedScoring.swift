import Foundation
import Runs
import Sampling
import Tensors
import Uncertainty

/// A checkpoint's model ready to be scored: with the fit its scores need, taken from the
/// newest stored fit for its weights when that holds everything, fitted (what is missing, or
/// all of it on request) and stored as a new version otherwise.
public struct FittedScoring {
    /// The model, with the fit's statistics and background model attached.
    public var model: ScoringModel
    /// The fit in use.
    public var fit: StoredScoreFit
    /// The file the fit was read from or written to.
    public var file: URL
    /// Whether this call fitted (and wrote) it.
    public var isNew: Bool

    /// Prepares `scores` for `checkpoint` (the file at `url`), whose model the caller has built as `model` (no fit
    /// attached yet).
    ///
    /// - Parameters:
    ///   - background: the likelihood ratio's background model, a checkpoint file; nil to keep the stored fit's.
    ///   - refit: fit everything again even when a stored fit covers it.
    public static func prepare(
        _ checkpoint: TrainingCheckpoint, url: URL, model bare: ScoringModel, scores: [OODScore], background: URL?,
        refit: Bool,
        batchSize: Int, log: (String) -> Void
    ) throws -> FittedScoring {
        let digest = checkpoint.modelDigest
        let existing = refit ? nil : try StoredScoreFit.latest(forCheckpoint: url, digest: digest, log: log)
        let backgroundURL = background ?? existing?.background.map { URL(fileURLWithPath: $0.path) }
        let loadedBackground = try backgroundURL.map { try BackgroundModel.load($0, like: checkpoint, path: url.path) }
        if let existing, let stored = existing.background, let loadedBackground,
            stored.modelDigest != loadedBackground.reference.modelDigest, background == nil
        {
            throw EvaluationError.invalid(
                "\(stored.path): the background model's weights changed since \(existing.description) was fitted; "
                    + "give --background again to refit the likelihood ratio")
        }
        let sameBackground = loadedBackground.map { $0.reference == existing?.background } ?? true
        if let existing, sameBackground, scores.allSatisfy(existing.covers) {
            var model = bare
            let file = StoredScoreFit.url(forCheckpoint: url, version: existing.version)
            // An energy's single output is no class count; its Gaussians are over the dataset's labels.
            try existing.attach(
                to: &model, inputShape: try checkpoint.inputShape(path: url.path),
                classes: checkpoint.configuration.core.objective.isScoreMatching ? nil : checkpoint.progress.classes,
                file: file)
            model.backgroundEnergy = loadedBackground?.energy
            return FittedScoring(model: model, fit: existing, file: file, isNew: false)
        }
        var fitting = ScoreFitting()
        fitting.batchSize = batchSize
        fitting.background = loadedBackground
        var (fit, model) = try fitting.fit(
            checkpoint, url: url, model: bare, scores: scores, existing: existing, log: log)
        let file = try fit.write(forCheckpoint: url)
        log("stored the score fit as \(file.path)")
        return FittedScoring(model: model, fit: fit, file: file, isNew: true)
    }
}

extension StoredScoreFit {
    /// Puts the fit's statistics on `model`, after checking they fit it: the feature size the network gives,
    /// the class count.
    func attach(to model: inout ScoringModel, inputShape: [Int], classes: Int?, file: URL) throws {
        if gaussians != nil || bank != nil {
            guard let extract = model.features else {
                throw EvaluationError.invalid(
                    "\(file.path): holds feature statistics, but this model exposes no features")
            }
            let width = withoutRecording { extract(Tensor(repeating: 0, shape: [1] + inputShape)) }.shape[1]
            for (what, dimension) in [("Gaussians", gaussians?.dimension), ("feature bank", bank?.dimension)] {
                if let dimension, dimension != width {
                    throw EvaluationError.invalid(
                        "\(file.path): its \(what) have \(dimension) features, the model gives \(width)")
                }
            }
        }
        if let gaussians, let classes, gaussians.classes != classes {
            throw EvaluationError.invalid(
                "\(file.path): its Gaussians are for \(gaussians.classes) classes, the model has \(classes)")
        }
        model.gaussians = gaussians
        model.bank = bank
        model.complexityWeight = complexityWeight
        model.standardisation = standardisation
    }
}
