import ArgumentParser
import Evaluation
import Foundation
import Metrics
import RunLog
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
        and every score oriented so that higher means more in-distribution. The results and every sample's \
        scores are stored with the run (see `joule runs export-scores`, `joule report`).
        OOD sets: \(OODSet.nameHelp). Scores: \(OODScore.nameHelp).
        """
    )

    @Argument(help: "Run id (under the checkpoint directory) or a checkpoint file.") var runOrFile: String
    @Option(help: "Where run folders are (default checkpoints).") var checkpointDir: String?
    @Option(help: "Which checkpoint of the run: best (on validation) or last.") var checkpoint = "best"
    @Option(help: "Comma-separated OOD sets (default mnist-5k,uniform,gaussian,constant,interp; 'none' for none).")
    var ood: String?
    @Option(help: "Comma-separated scores (default log-px,max-softmax,max-logit,grad-norm).") var scores: String?
    @Option(help: "Calibration bins (default 15).") var bins = 15
    @Flag(help: "Equal-mass calibration bins instead of equal-width.") var equalMass = false
    @Option(help: "Images per synthetic OOD set.") var syntheticCount = 5_000
    @Option(help: "Evaluate on at most this many in-distribution images.") var limit: Int?
    @Option(help: "Images per forward pass.") var batchSize = 256
    @Option(help: "Seed of the synthetic sets and of SGLD-refinement noise.") var seed: UInt64 = 0
    @Option(help: "MNIST-5k file (default datasets/mnist_5k.csv.gz; scripts/fetch-mnist5k.sh makes it).") var mnist5k: String?
    @Option(help: "Run store (default $JOULE_RUNS_DB, else CHECKPOINT_DIR/runs.sqlite).") var runsDb: String?
    @Flag(help: "Ignore the calibrator `joule calibrate` stored for the checkpoint.") var noCalibrator = false
    @Flag(help: "Print one JSON object instead of tables.") var json = false

    func run() throws {
        try reportingErrors("evaluate") {
            var settings = EvaluationSettings()
            settings.oodSets = try Self.parseList(ood, default: OODSet.defaults, what: "OOD set", help: OODSet.nameHelp,
                                                  parse: OODSet.init(name:))
            settings.oodSetsExplicit = ood != nil
            settings.scoresExplicit = scores != nil
            settings.scores = try Self.parseList(scores, default: OODScore.defaults, what: "score", help: OODScore.nameHelp,
                                                 parse: OODScore.init(name:))
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

            let url = try CheckpointLocation.resolve(runOrFile, checkpointDirectory: checkpointDir, which: checkpoint)
            let saved = try TrainingCheckpoint.read(from: url)
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            if saved.configuration.dataset.hasPrefix("toy:") { return try evaluateToy(saved, url: url, log: log) }
            let calibrator = noCalibrator ? nil : try StoredCalibrator.loadCurrent(forCheckpoint: url, step: saved.progress.step, log: log)
            if let calibrator { log("applying the stored calibrator: \(calibrator.summary) (--no-calibrator to skip)") }
            let (result, sets) = try RunEvaluation(settings: settings)
                .run(saved, path: url.path, calibrator: calibrator, mnist5k: URL(fileURLWithPath: mnist5k ?? "datasets/mnist_5k.csv.gz"), log: log)
            try store(result, sets, runID: saved.progress.runID, log: log)
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
        let path = RunsOptions.storePath(runsDb, checkpointDirectory: checkpointDir)
        if FileManager.default.fileExists(atPath: path), let store = try? RunStore(path: path), (try? store.run(runID).id) == runID {
            let settings = "{\"bandwidth\": \(result.bandwidth), \"count\": \(result.count), \"sampler\": \"\(result.sampler)\"}"
            let values: [(String, Double?)] = [("mmd2", result.mmd2), ("mmd2_untrained", result.mmd2Untrained),
                                               ("mmd2_sampler", result.mmd2Sampler), ("mmd2_sampler_untrained", result.mmd2SamplerUntrained),
                                               ("mmd2_data", result.mmd2Data)]
            try store.recordEvaluations(values.compactMap { name, value in
                value.map { EvaluationRecord(dataset: saved.configuration.dataset, score: "samples", metric: name, value: $0, settings: settings) }
            }, for: runID)
            log("stored with run \(runID) in \(path)")
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

    /// Records the result and the per-sample scores with the run, when the store knows it
    /// (a checkpoint file from elsewhere is evaluated without storing).
    private func store(_ result: EvaluationResult, _ sets: [ScoredSet], runID: String, log: (String) -> Void) throws {
        let path = RunsOptions.storePath(runsDb, checkpointDirectory: checkpointDir)
        guard FileManager.default.fileExists(atPath: path) else {
            log("not stored: no run store at \(path)")
            return
        }
        let store = try RunStore(path: path)
        guard (try? store.run(runID).id) == runID else {
            log("not stored: run \(runID) is not in \(path)")
            return
        }
        // `joule calibrate`'s before/after rows belong to the calibrator, not to this evaluation.
        try store.recordEvaluation(result.records, sampleScores: sets.flatMap(\.sampleRecords), for: runID,
                                   keeping: CalibrateCommand.recordedScores)
        log("stored with run \(runID) in \(path)")
    }

    /// A comma-separated list of names, or the defaults; "none" gives an empty list.
    static func parseList<T>(_ text: String?, default defaults: [T], what: String, help: String,
                             parse: (String) -> T?) throws -> [T] {
        guard let text else { return defaults }
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
