import ArgumentParser
import Evaluation
import Foundation
import Metrics
import RunLog
import Runs
import Training

/// `joule calibrate RUN --method temperature`: fits a calibrator on validation and keeps it
/// with the run, as a new version beside the earlier ones.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a calibrator on a run's validation set; report the test set before and after.",
        discussion: """
        temperature: one scalar T dividing the logits, minimising validation NLL (Guo et al. 2017). \
        histogram: the top-label confidence mapped to the validation accuracy of its bin (Zadrozny & Elkan 2001). \
        isotonic: the top-label confidence mapped by isotonic regression (Zadrozny & Elkan 2002). \
        Each fit is written beside the checkpoint as a new version (best.safetensors → best.calibrator.v1.json, \
        v2, …; none is overwritten), recorded with the run as a measurement, and applied by `joule evaluate` \
        and `joule score` from then on (the newest; --calibrator vN picks another). A calibrator that makes \
        ECE or NLL worse is flagged.
        """
    )

    @Argument(help: "Run id (or a unique prefix) or a checkpoint file.") var runOrFile: String
    @OptionGroup var store: RunStoreOptions
    @Option(help: "temperature, histogram or isotonic.") var method = CalibrationMethod.temperature.rawValue
    @Option(help: "Where run folders are, for a run the store does not know (default: checkpoints).") var checkpointDir: String?
    @Option(help: "Which checkpoint of the run: best (on validation) or last.") var checkpoint = "best"
    @Option(parsing: .unconditional, help: "Equal-width calibration bins of the before/after report.") var bins = 15
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try reportingErrors("calibrate") {
            guard let method = CalibrationMethod(rawValue: method) else {
                throw ValidationErrorText("--method must be one of \(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...1_000).contains(bins) else { throw ValidationErrorText("--bins must be between 1 and 1000") }
            let url = try CheckpointLocation.resolve(runOrFile, checkpointDirectory: checkpointDir, which: checkpoint,
                                                     store: store.location)
            let saved = try TrainingCheckpoint.read(from: url)
            var calibration = RunCalibration(method: method)
            calibration.binning = .equalWidth(bins: bins)
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            var (stored, outcome) = try calibration.run(saved, url: url, log: log)
            // The file is what evaluate applies: it goes in last, and comes out again if the
            // store cannot record it, so a calibrator is never in use without its record.
            let file = try stored.write(forCheckpoint: url)
            outcome.written(stored, to: file)
            do {
                outcome.measurementID = try record(outcome, file: file, runID: saved.progress.runID, log: log)
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
            print("\(outcome.calibrator); measured on \(outcome.measuredOn) (\(outcome.measuredCount) images), \(outcome.binning)")
            let f = { (v: Double) in String(format: "%.4f", v) }
            let rows = [("accuracy", \RunCalibration.Measures.accuracy), ("nll", \.nll), ("brier", \.brier), ("ece", \.ece),
                        ("mce", \.mce), ("rms-ce", \.rmsCalibrationError)].map { name, key in
                [name, f(outcome.before[keyPath: key]), f(outcome.after[keyPath: key])]
            }
            print(OutputTable(columns: ["metric", "before", "after"], rows: rows).text())
            for warning in outcome.warnings { print("warning: \(warning)") }
            print("wrote \(file.path)")
        }
    }

    /// The before/after numbers as a calibration measurement of the run, with the file as its
    /// artifact, when the store holds the run.
    private func record(_ outcome: RunCalibration.Outcome, file: URL, runID: String, log: (String) -> Void) throws -> Int? {
        guard let runs = store.openIfPresent(checkpointDirectory: checkpointDir, log: log) else { return nil }
        guard (try? runs.run(runID).id) == runID else {
            log("not recorded: run \(runID) is not in \(runs.path)" + store.legacyNote(checkpointDir))
            return nil
        }
        let id = try runs.recordMeasurement(outcome.measurement, values: outcome.records, artifacts: [("calibrator", file.path)],
                                            for: runID)
        log("stored as measurement #\(id) of run \(runID) in \(runs.path)")
        return id
    }
}
