import ArgumentParser
import Evaluation
import Foundation
import Metrics
import Uncertainty

/// `joule evaluate RUN`: accuracy, calibration and OOD detection of a trained run.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a run's accuracy, calibration and out-of-distribution detection.",
        discussion: """
            On the run's test set (its validation hold-out when the dataset has no test split): accuracy, NLL, \
            Brier, ECE, MCE and RMS calibration error. Against each OOD set and under each score: AUROC, \
            AUPR-in, AUPR-out, FPR at 95% TPR and detection error, with in-distribution as the positive class \
            and every score oriented so that higher means more in-distribution; a score clearly below chance is \
            flagged as inverted. The results and every sample's scores are stored with the run as a new \
            measurement, beside every earlier one (see `joule runs show`, `joule runs export-scores`, `joule report`). \
            What the scores fit — mahalanobis's class Gaussians and knn's feature bank from the training split, \
            likelihood-ratio's background model (--background), each score's values on half of the validation \
            hold-out — is stored beside the checkpoint (best.scores.vN.safetensors), reused while the weights are \
            the same, and fitted again with --refit-scores. The typicality test scores batches of M inputs by \
            their mean energy's distance from the training set's and is reported apart. When the calibrator has \
            conformal sets (calibrate --conformal), their coverage and sizes on the test set are reported.
            OOD sets: \(OODSet.nameHelp). Scores: \(OODScore.nameHelp).
            """
    )

    @OptionGroup var source: CheckpointOptions<BestCheckpoint>
    @Option(
        help: ArgumentHelp(
            "Comma-separated OOD sets, 'none' for none (default: \(OODSet.defaults.map(\.name).joined(separator: ","))).",
            valueName: "sets"),
        transform: { try NameList.parse($0, what: "OOD set", help: OODSet.nameHelp, parse: OODSet.init(name:)) })
    var ood: [OODSet]?
    @Option(
        help: "Comma-separated scores (default: \(OODScore.defaults.map(\.name).joined(separator: ","))).",
        transform: { try NameList.parse($0, what: "score", help: OODScore.nameHelp, parse: OODScore.init(name:)) })
    var scores: [OODScore]?
    @Option(parsing: .unconditional, help: "Calibration bins.") var bins = 15
    @Flag(help: "Equal-mass calibration bins instead of equal-width.") var equalMass = false
    @Option(parsing: .unconditional, help: "Images per synthetic OOD set.") var syntheticCount = 5_000
    @Option(parsing: .unconditional, help: "Evaluate on at most this many in-distribution images.") var limit: Int?
    @Flag(help: "Measure on the validation hold-out, not the test set (to choose scores without the test set).")
    var onValidation = false
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 256
    @Option(help: "Seed of the synthetic sets and of SGLD-refinement noise.") var seed: UInt64 = 0
    @Option(help: "MNIST-5k file (default: $JOULE_MNIST5K, datasets/mnist_5k.csv.gz, or the installed copy).")
    var mnist5k: String?
    @Option(
        help: "Comma-separated batch sizes of the typicality test, 'none' for none.",
        transform: {
            try NameList.parse($0, what: "batch size", help: "whole numbers from 2 to 10000") {
                Int($0).flatMap { (2...10_000).contains($0) ? $0 : nil }
            }
        })
    var typicality: [Int] = [5, 25]
    @OptionGroup var calibration: CalibratorOptions
    @OptionGroup var fitting: ScoreFitOptions
    @Flag(help: "Print one JSON object instead of tables.") var json = false

    func run() throws {
        try reportingErrors("evaluate") {
            let (url, saved) = try source.read()
            let runID = saved.progress.runID
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            if saved.configuration.core.dataset.isToy {
                let result = try ToyEvaluation.run(saved, path: url.path, seed: seed)
                if let runs = source.storeHolding(runID, log: log) {
                    let id = try runs.recordMeasurement(
                        result.measurement(step: saved.progress.step), values: result.records, for: runID)
                    log("stored as measurement #\(id) of run \(runID) in \(runs.path)")
                }
                print(json ? try EvaluationText.json(result) : EvaluationText.render(result, runID: runID))
                return
            }
            let applied = try StoredCalibrator.load(
                calibration.choice, forCheckpoint: url, step: saved.progress.step,
                refit: source.calibrateHint, log: log)
            if let applied { log("applying \(applied.description) (--calibrator none to skip)") }
            var settings = settings
            settings.background = try fitting.backgroundPath(like: source)
            var (result, sets) = try RunEvaluation(settings: settings)
                .run(saved, path: url.path, calibrator: applied, mnist5k: MNIST5kLocation.resolve(mnist5k), log: log)
            if let runs = source.storeHolding(runID, log: log) {
                let id = try runs.recordMeasurement(
                    result.measurement(settings: settings), values: result.records,
                    sampleScores: sets.flatMap(\.sampleRecords), for: runID)
                result.measurementID = id
                log(
                    "stored as measurement #\(id) of run \(runID) in \(runs.path); see it with "
                        + CommandHint.command(["report", runID, "--out", "report.html"], store: source.store.location))
            }
            print(json ? try EvaluationText.json(result) : EvaluationText.render(result))
        }
    }
}
