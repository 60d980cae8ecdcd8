import ArgumentParser
import Evaluation
import Foundation
import Metrics
import Uncertainty

/// `joule score RUN PATH…`: scores a user's images for being in or out of distribution.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score images (PNG files or folders, IDX files) for being out of distribution.",
        discussion: """
            For each image: the predicted class and its probability, the score (higher = more in-distribution) \
            and a decision, in or out, at the threshold that keeps --tpr of the run's validation images \
            (the largest t with at least that share of validation scores ≥ t). The validation scores, and what a \
            score fits (feature statistics, a background model), are fitted once and stored beside the checkpoint \
            (best.scores.vN.safetensors); --refit-scores fits them again. Scores: \(OODScore.nameHelp).
            """
    )

    /// How the rows are printed.
    enum Format: String, CaseIterable, ExpressibleByArgument { case csv, json }

    @OptionGroup var source: CheckpointOptions<BestCheckpoint>
    @Argument(help: "PNG files, folders of PNG files, or IDX image files.") var paths: [String]
    /// `ensemble` by default: on the validation hold-out against the synthetic sets it cleared 0.99 AUROC on
    /// the most sets (BENCHMARKS.md, "OOD scores"); MNIST and the test set played no part in the choice.
    @Option(help: "The score that decides in or out.", transform: { try OODScore.parsed($0) }) var score =
        OODScore.ensemble
    @Option(
        help: ArgumentHelp("Comma-separated scores to report beside it (a column each).", valueName: "scores"),
        transform: { try NameList.parse($0, what: "score", help: OODScore.nameHelp, parse: OODScore.init(name:)) })
    var also: [OODScore] = []
    @Option(
        parsing: .unconditional, help: "Share of validation images to call in-distribution when fitting the threshold.")
    var tpr = 0.95
    @Flag(help: "Skip the validation threshold (no decision column).") var noThreshold = false
    @OptionGroup var calibration: CalibratorOptions
    @OptionGroup var fitting: ScoreFitOptions
    @Option(help: "Which conformal sets to print (the calibrator's, from calibrate --conformal): lac, aps or raps.")
    var setMethod = ConformalPredictor.Method.lac
    @Option(help: "How to print the rows.") var format = Format.csv
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 256

    func run() throws {
        try reportingErrors("score") {
            let (url, saved) = try source.read()
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let calibrator = try StoredCalibrator.load(
                calibration.choice, forCheckpoint: url, step: saved.progress.step,
                refit: source.calibrateHint, log: log)
            if let calibrator {
                log("applying \(calibrator.description) to the probabilities (--calibrator none to skip)")
            }
            var scoring = ImageScoring(score: score, truePositiveRate: noThreshold ? nil : tpr)
            scoring.alsoReported = also.filter { $0 != score }
            scoring.batchSize = batchSize
            scoring.background = try fitting.backgroundPath(like: source)
            scoring.refit = fitting.refitScores
            scoring.setMethod = setMethod
            let result = try scoring.run(saved, url: url, paths: paths, calibrator: calibrator, log: log)
            switch format {
            case .json: try printJSON(json(result))
            case .csv: printCSV(result)
            }
            log("score fit: \(result.scoreFit)")
            log(Self.summary(result))
            if let threshold = result.threshold {
                log("threshold \(threshold) keeps \(Int(tpr * 100))% of validation images in (score \(score.name))")
            }
        }
    }
}

extension OODScore {
    /// The score a command-line argument names; the error lists them all.
    static func parsed(_ text: String) throws -> OODScore {
        guard let score = OODScore(name: text) else { throw ValidationError("expected one of \(OODScore.nameHelp)") }
        return score
    }
}
