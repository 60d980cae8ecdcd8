import ArgumentParser
import Evaluation
import Foundation
import Metrics
import RunLog
import Training

/// `joule calibrate RUN --method temperature`: fits a calibrator on validation and keeps it
/// with the run.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a calibrator on a run's validation set; report the test set before and after.",
        discussion: """
        temperature: one scalar T dividing the logits, minimising validation NLL (Guo et al. 2017). \
        histogram: the top-label confidence mapped to the validation accuracy of its bin (Zadrozny & Elkan 2001). \
        isotonic: the top-label confidence mapped by isotonic regression (Zadrozny & Elkan 2002). \
        The calibrator is written beside the checkpoint (best.safetensors → best.calibrator.json), recorded \
        with the run, and applied by `joule evaluate` from then on.
        """
    )

    @Argument(help: "Run id (under the checkpoint directory) or a checkpoint file.") var runOrFile: String
    @Option(help: "temperature, histogram or isotonic.") var method: String = "temperature"
    @Option(help: "Where run folders are (default checkpoints).") var checkpointDir: String?
    @Option(help: "Which checkpoint of the run: best (on validation) or last.") var checkpoint = "best"
    @Option(help: "Calibration bins of the before/after report (default 15, equal-width).") var bins = 15
    @Option(help: "Run store (default $JOULE_RUNS_DB, else CHECKPOINT_DIR/runs.sqlite).") var runsDb: String?
    @Flag(help: "Print one JSON object.") var json = false

    /// The score names of the rows `calibrate` records (and `evaluate` leaves alone).
    static let recordedScores = ["uncalibrated"] + CalibrationMethod.allCases.map { "calibrated:\($0.rawValue)" }

    func run() throws {
        try reportingErrors("calibrate") {
            guard let method = CalibrationMethod(rawValue: method) else {
                throw ValidationErrorText("--method must be one of \(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...1_000).contains(bins) else { throw ValidationErrorText("--bins must be between 1 and 1000") }
            let url = try CheckpointLocation.resolve(runOrFile, checkpointDirectory: checkpointDir, which: checkpoint)
            let saved = try TrainingCheckpoint.read(from: url)
            var calibration = RunCalibration(method: method)
            calibration.binning = .equalWidth(bins: bins)
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let (stored, outcome) = try calibration.run(saved, url: url, log: log)
            // The file is what evaluate applies: it goes in last, and comes out again if the
            // store cannot record it, so a calibrator is never in use without its record.
            let file = try stored.write(forCheckpoint: url)
            do {
                try record(outcome, file: file, runID: saved.progress.runID, log: log)
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw error
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(outcome), as: UTF8.self))
                return
            }
            print("\(outcome.calibrator), fitted on \(outcome.fittedOn) (\(outcome.fittedCount) images); "
                  + "measured on \(outcome.measuredOn) (\(outcome.measuredCount) images), \(outcome.binning)")
            let f = { (v: Double) in String(format: "%.4f", v) }
            let rows = [("accuracy", \RunCalibration.Measures.accuracy), ("nll", \.nll), ("brier", \.brier), ("ece", \.ece),
                        ("mce", \.mce), ("rms-ce", \.rmsCalibrationError)].map { name, key in
                [name, f(outcome.before[keyPath: key]), f(outcome.after[keyPath: key])]
            }
            print(OutputTable(columns: ["metric", "before", "after"], rows: rows).text())
            print("wrote \(file.path)")
        }
    }

    /// The before/after numbers as evaluations of the run, and the file as its artifact.
    private func record(_ outcome: RunCalibration.Outcome, file: URL, runID: String, log: (String) -> Void) throws {
        let path = RunsOptions.storePath(runsDb, checkpointDirectory: checkpointDir)
        guard FileManager.default.fileExists(atPath: path) else { return log("not recorded: no run store at \(path)") }
        let store = try RunStore(path: path)
        guard (try? store.run(runID).id) == runID else { return log("not recorded: run \(runID) is not in \(path)") }
        let settings = String(decoding: try JSONSerialization.data(
            withJSONObject: ["group": "in-distribution", "calibrator": outcome.calibrator, "fitted_on": outcome.fittedOn, "binning": outcome.binning],
            options: [.sortedKeys]), as: UTF8.self)
        var rows: [EvaluationRecord] = []
        for (score, m) in [("uncalibrated", outcome.before), ("calibrated:\(outcome.method)", outcome.after)] {
            for (metric, value) in [("accuracy", m.accuracy), ("nll", m.nll), ("brier", m.brier), ("ece", m.ece), ("mce", m.mce),
                                    ("rms_ce", m.rmsCalibrationError)] {
                rows.append(EvaluationRecord(dataset: outcome.measuredOn, score: score, metric: metric, value: value, settings: settings))
            }
        }
        try store.recordCalibration(rows, artifact: file.path, for: runID)
    }
}
