import ArgumentParser
import Evaluation
import Foundation
import Metrics
import RunLog
import Runs
import Training
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
        measurement, beside every earlier one (see `joule runs show`, `joule runs export-scores`, `joule report`).
        OOD sets: \(OODSet.nameHelp). Scores: \(OODScore.nameHelp).
        """
    )

    @Argument(help: "Run id (or a unique prefix) or a checkpoint file.") var runOrFile: String
    @OptionGroup var store: RunStoreOptions
    @Option(help: "Where run folders are, for a run the store does not know (default: checkpoints).") var checkpointDir: String?
    @Option(help: "Which checkpoint of the run: best (on validation) or last.") var checkpoint = "best"
    @Option(help: ArgumentHelp("Comma-separated OOD sets, 'none' for none (default: \(OODSet.defaults.map(\.name).joined(separator: ","))).",
                               valueName: "sets"))
    var ood: String?
    @Option(help: "Comma-separated scores (default: \(OODScore.defaults.map(\.name).joined(separator: ","))).") var scores: String?
    @Option(parsing: .unconditional, help: "Calibration bins.") var bins = 15
    @Flag(help: "Equal-mass calibration bins instead of equal-width.") var equalMass = false
    @Option(parsing: .unconditional, help: "Images per synthetic OOD set.") var syntheticCount = 5_000
    @Option(parsing: .unconditional, help: "Evaluate on at most this many in-distribution images.") var limit: Int?
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 256
    @Option(help: "Seed of the synthetic sets and of SGLD-refinement noise.") var seed: UInt64 = 0
    @Option(help: "MNIST-5k file (default: $JOULE_MNIST5K, datasets/mnist_5k.csv.gz, or the installed copy).") var mnist5k: String?
    @Option(help: ArgumentHelp("The calibrator to apply: latest (fitted on the checkpoint's weights), none, vN, or a file.",
                               valueName: "choice"))
    var calibrator = "latest"
    @Flag(help: "The same as --calibrator none.") var noCalibrator = false
    @Flag(help: "Print one JSON object instead of tables.") var json = false

    func run() throws {
        try reportingErrors("evaluate") {
            var settings = EvaluationSettings()
            // Named sets and scores must all work; from the defaults, what cannot is skipped with a note.
            settings.oodSets = try ood.map { try Self.parseList($0, what: "OOD set", help: OODSet.nameHelp, parse: OODSet.init(name:)) }
                ?? OODSet.defaults
            settings.oodSetsExplicit = ood != nil
            settings.scoresExplicit = scores != nil
            settings.scores = try scores.map { try Self.parseList($0, what: "score", help: OODScore.nameHelp, parse: OODScore.init(name:)) }
                ?? OODScore.defaults
            guard !settings.scores.isEmpty else { throw ValidationErrorText("--scores: give at least one score") }
            guard (1...1_000).contains(bins) else { throw ValidationErrorText("--bins must be between 1 and 1000") }
            guard (1...1_000_000).contains(syntheticCount) else { throw ValidationErrorText("--synthetic-count must be between 1 and 1000000") }
            guard (1...65_536).contains(batchSize) else { throw ValidationErrorText("--batch-size must be between 1 and 65536") }
            if let limit, limit < 1 { throw ValidationErrorText("--limit must be at least 1") }
            settings.binning = equalMass ? .equalMass(bins: bins) : .equalWidth(bins: bins)
            settings.syntheticCount = syntheticCount
            settings.limit = limit
            settings.batchSize = batchSize
            settings.seed = seed

            guard let choice = noCalibrator ? StoredCalibrator.Choice.none : StoredCalibrator.Choice(calibrator) else {
                throw ValidationErrorText("--calibrator '\(calibrator)': expected latest, none, vN or a .json file")
            }
            let url = try CheckpointLocation.resolve(runOrFile, checkpointDirectory: checkpointDir, which: checkpoint,
                                                     store: store.location)
            let saved = try TrainingCheckpoint.read(from: url)
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            if saved.configuration.core.dataset.isToy { return try evaluateToy(saved, url: url, log: log) }
            // The same checkpoint as this command's, named the same way.
            let refit = CommandHint.command(["calibrate", runOrFile] + (checkpoint == "best" ? [] : ["--checkpoint", checkpoint])
                                            + (checkpointDir.map { ["--checkpoint-dir", $0] } ?? []), store: store.location)
            let applied = try StoredCalibrator.load(choice, forCheckpoint: url, step: saved.progress.step, refit: refit, log: log)
            if let applied { log("applying \(applied.description) (--calibrator none to skip)") }
            var (result, sets) = try RunEvaluation(settings: settings)
                .run(saved, path: url.path, calibrator: applied, mnist5k: MNIST5kLocation.resolve(mnist5k), log: log)
            result.measurementID = try record(result, sets, settings: settings, runID: saved.progress.runID, log: log)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(EvaluationText.render(result))
            }
        }
    }

    /// A toy-density run: its samples against held-out points by MMD², beside the untrained
    /// network's and a second data sample's.
    private func evaluateToy(_ saved: TrainingCheckpoint, url: URL, log: (String) -> Void) throws {
        let result = try ToyEvaluation.run(saved, path: url.path, seed: seed)
        let runID = saved.progress.runID
        if let runs = openStore(runID: runID, log: log) {
            let id = try runs.recordMeasurement(result.measurement(step: saved.progress.step), values: result.records, for: runID)
            log("stored as measurement #\(id) of run \(runID) in \(runs.path)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print("run \(runID) on \(result.density): MMD² against \(result.count) held-out points (Gaussian kernel h = \(result.bandwidth))")
        if let exact = result.mmd2, let untrained = result.mmd2Untrained {
            print(String(format: "exact samples of exp(−E) (%d² grid): %.5f   untrained network: %.5f", result.grid, exact, untrained))
        } else {
            print("exact samples: not defined (the noise-scaled form's energy stands for no one density)")
        }
        let origin = result.sampler.hasSuffix("generator") ? "" : " from noise"
        print(String(format: "%@ samples%@: %.5f   untrained network: %.5f", result.sampler, origin, result.mmd2Sampler,
                     result.mmd2SamplerUntrained))
        print(String(format: "a second data sample: %.5f (the estimate's noise floor)", result.mmd2Data))
    }

    /// The store, when it holds the run (a checkpoint file from elsewhere is evaluated without
    /// being recorded, and `log` says why).
    private func openStore(runID: String, log: (String) -> Void) -> RunStore? {
        guard let runs = store.openIfPresent(checkpointDirectory: checkpointDir, log: log) else { return nil }
        guard (try? runs.run(runID).id) == runID else {
            log("not recorded: run \(runID) is not in \(runs.path)" + store.legacyNote(checkpointDir))
            return nil
        }
        return runs
    }

    /// Records the result and the per-sample scores as a new measurement of the run; its id.
    private func record(_ result: EvaluationResult, _ sets: [ScoredSet], settings: EvaluationSettings, runID: String,
                        log: (String) -> Void) throws -> Int? {
        guard let runs = openStore(runID: runID, log: log) else { return nil }
        let id = try runs.recordMeasurement(result.measurement(settings: settings), values: result.records,
                                            sampleScores: sets.flatMap(\.sampleRecords), for: runID)
        log("stored as measurement #\(id) of run \(runID) in \(runs.path); see it with "
            + CommandHint.command(["report", runID, "--out", "report.html"], store: store.location))
        return id
    }

    /// A comma-separated list of names; "none" gives an empty list.
    static func parseList<T>(_ text: String, what: String, help: String, parse: (String) -> T?) throws -> [T] {
        if text == "none" { return [] }
        var seen = Set<String>()
        return try text.split(separator: ",").map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let value = parse(name) else { throw ValidationErrorText("unknown \(what) '\(name)' (expected \(help))") }
            // Names are canonical ("energy@1" is "energy"), so a repeat is caught however spelled.
            let canonical = String(describing: value)
            guard seen.insert(canonical).inserted else { throw ValidationErrorText("\(what) '\(name)' is given twice") }
            return value
        }
    }
}
