import Datasets
import Foundation
import Metrics
import Runs
import Uncertainty

/// `joule score`'s pipeline: a checkpoint's model scores a user's images (PNG files, folders
/// of them, IDX image files) for being in distribution — each with the predicted class and
/// its probability (calibrated when a calibrator applies), the score (higher = more
/// in-distribution), and a decision at the threshold that keeps a share of the run's
/// validation images in (the calibration half of the hold-out, scored once and stored with
/// the score fit).
public struct ImageScoring {
    /// The score that decides in or out.
    public var score: OODScore
    /// More scores to report beside it (no decision rests on them).
    public var alsoReported: [OODScore] = []
    /// The share of validation images the threshold keeps in; nil for no threshold (and no decision).
    public var truePositiveRate: Double?
    /// Images per forward pass.
    public var batchSize = 256
    /// The likelihood ratio's background model, a checkpoint file; nil to use the stored fit's.
    public var background: String?
    /// Which of the calibrator's conformal predictors gives the prediction sets.
    public var setMethod = ConformalPredictor.Method.lac
    /// Fit the score's statistics and validation values again even when a stored fit covers them.
    public var refit = false

    /// A scoring of `score` that fits a threshold keeping `truePositiveRate` of the validation images in
    /// (no threshold, and no in/out decision, when it is nil).
    public init(score: OODScore, truePositiveRate: Double?) {
        self.score = score
        self.truePositiveRate = truePositiveRate
    }

    /// One scored image.
    public struct Row: Sendable {
        /// The file, or `PATH#INDEX` for an image inside an IDX file.
        public var source: String
        /// The predicted class (argmax of the probabilities); nil for a model without a classifier head.
        public var prediction: Int?
        /// The predicted class's name (its number when the run has no names).
        public var className: String?
        /// The predicted class's probability, calibrated when a calibrator was applied; nil without a classifier head.
        public var confidence: Double?
        /// The conformal prediction set's class names, most probable first, when the calibrator has conformal sets.
        public var predictionSet: [String]?
        /// The image's value of the score, higher meaning more in-distribution.
        public var score: Double
        /// The image's values of the other reported scores, in `alsoReported`'s order.
        public var otherScores: [Double] = []
        /// Whether the score is at or above the threshold; nil without one.
        public var isIn: Bool?
    }

    /// What was scored, and how.
    public struct Result: Sendable {
        /// One row for each image, in the order of the paths and of the images under each.
        public var rows: [Row]
        /// The score at or above which an image counts as in-distribution; nil when no threshold was asked for
        /// (or the validation scores had no finite value).
        public var threshold: Double?
        /// The calibrator applied to the probabilities, if any.
        public var calibrator: StoredCalibrator?
        /// The score fit the threshold (and the score's statistics) came from.
        public var scoreFit: String
    }

    /// Scores every image under `paths` with `saved`'s model (read from `url`), applying
    /// `calibrator` to the probabilities.
    public func run(
        _ saved: TrainingCheckpoint, url: URL, paths: [String], calibrator: StoredCalibrator?,
        log: (String) -> Void = { _ in }
    ) throws -> Result {
        guard !paths.isEmpty else { throw ScoringError("give at least one PNG file, folder or IDX file") }
        if let rate = truePositiveRate, !(rate > 0 && rate <= 1) { throw ScoringError("--tpr must be in (0, 1]") }
        guard (1...65_536).contains(batchSize) else { throw ScoringError("--batch-size must be between 1 and 65536") }
        let shape = try saved.inputShape(path: url.path)
        let bare = try saved.scoringModel(path: url.path)
        for score in [score] + alsoReported where !bare.canFit(score) {
            throw ScoringError(
                RunEvaluation.cannotGive(score, model: bare, objective: saved.configuration.core.objective))
        }
        // The threshold comes from the stored fit's validation scores: fitted once, on request or first use.
        let fitted = try FittedScoring.prepare(
            saved, url: url, model: bare, scores: [score] + alsoReported,
            background: background.map { URL(fileURLWithPath: $0) },
            refit: refit,
            batchSize: batchSize, log: log)
        let model = fitted.model
        var scoring = DatasetScoring(scores: [score] + alsoReported)
        scoring.batchSize = batchSize
        let threshold = truePositiveRate.flatMap { fitted.fit.threshold(score, truePositiveRate: $0) }
        let classNames =
            saved.configuration.core.dataset == .fashionMNIST
            ? FashionMNIST.classNames : try TrainingData.load(saved.configuration).train.classNames
        var rows: [Row] = []
        for path in paths {
            let images = try Self.load(path, shape: shape)
            var scored = scoring.run(images, name: path, model: model)
            if let calibrator, let logits = scored.logits {
                scored.probabilities = calibrator.calibrator.calibrated(logits: logits)
            }
            let predictions = scored.predictions
            let confidences = scored.confidences
            let values = scored.scores[score] ?? []
            let conformal = calibrator?.conformal(setMethod)
            func name(_ k: Int) -> String { classNames.indices.contains(k) ? classNames[k] : String(k) }
            for i in 0..<scored.count {
                let prediction = predictions?[i]
                let set = conformal.flatMap { predictor in scored.probabilities.map { predictor.predictionSet($0[i]) } }
                rows.append(
                    Row(
                        source: images.sources.isEmpty ? "\(path)#\(i)" : images.sources[i], prediction: prediction,
                        className: prediction.map(name),
                        confidence: confidences?[i], predictionSet: set?.map(name), score: values[i],
                        otherScores: alsoReported.map { scored.scores[$0]?[i] ?? .nan },
                        isIn: threshold.map { values[i] >= $0 }))
            }
        }
        return Result(rows: rows, threshold: threshold, calibrator: calibrator, scoreFit: fitted.fit.description)
    }

    /// PNG files and folders, or an IDX image file; shapes must be the model's.
    public static func load(_ path: String, shape: [Int]) throws -> ImageDataset {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScoringError("\(path): no such file or folder")
        }
        let set =
            isDirectory.boolValue || path.lowercased().hasSuffix(".png")
            ? try PNGFolder.loadUnlabeled(paths: [url], grayscale: shape[0] == 1)
            : try IDXImages.load(from: url)
        guard [set.channels, set.height, set.width] == shape else {
            throw ScoringError(
                "\(path): images are \(set.channels)×\(set.height)×\(set.width) but the model takes "
                    + shape.map(String.init).joined(separator: "×"))
        }
        return set
    }
}

/// Input `ImageScoring` cannot score; the message names it.
public struct ScoringError: Error, CustomStringConvertible {
    /// The message, naming the input and what is wrong with it.
    public let description: String
    /// An error with the message `description`.
    public init(_ description: String) { self.description = description }
}
