import ArgumentParser
import Evaluation
import Foundation
import Metrics

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
            ECE or NLL worse is flagged. The calibrator is fitted on a fixed half of the validation hold-out; with \
            --conformal, split-conformal prediction sets (LAC, APS, RAPS) are fitted on the other half at --coverage, \
            and `evaluate` and `score` use them.
            """
    )

    @OptionGroup var source: CheckpointOptions<BestCheckpoint>
    @Option(help: "temperature, histogram or isotonic.") var method = CalibrationMethod.temperature
    @Option(parsing: .unconditional, help: "Equal-width calibration bins of the before/after report.") var bins = 15
    @Flag(help: "Also fit conformal prediction sets (LAC, APS, RAPS) on the hold-out's other half.") var conformal =
        false
    @Option(parsing: .unconditional, help: "The conformal sets' coverage, in (0, 1).") var coverage = 0.9
    @Option(parsing: .unconditional, help: "RAPS's penalty λ per rank past --raps-free-ranks.") var rapsPenalty =
        ConformalPredictor.defaultPenalty
    @Option(parsing: .unconditional, help: "RAPS's ranks free of penalty, k_reg.") var rapsFreeRanks =
        ConformalPredictor.defaultFreeRanks
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try reportingErrors("calibrate") {
            guard (1...1_000).contains(bins) else { throw ValidationErrorText("--bins must be between 1 and 1000") }
            guard coverage > 0 && coverage < 1 else { throw ValidationErrorText("--coverage must be in (0, 1)") }
            guard rapsPenalty >= 0 && rapsPenalty.isFinite, rapsFreeRanks >= 0 else {
                throw ValidationErrorText("--raps-penalty and --raps-free-ranks must not be negative")
            }
            let (url, saved) = try source.read()
            var calibration = RunCalibration(method: method)
            calibration.binning = .equalWidth(bins: bins)
            calibration.conformalCoverage = conformal ? coverage : nil
            calibration.rapsPenalty = rapsPenalty
            calibration.rapsFreeRanks = rapsFreeRanks
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            var (stored, outcome) = try calibration.run(saved, url: url, log: log)
            // The file is what evaluate applies: it goes in last, and comes out again if the
            // store cannot record it, so a calibrator is never in use without its record.
            let file = try stored.write(forCheckpoint: url)
            outcome.written(stored, to: file)
            do {
                let runID = saved.progress.runID
                if let runs = source.storeHolding(runID, log: log) {
                    let id = try runs.recordMeasurement(
                        outcome.measurement, values: outcome.records,
                        artifacts: [("calibrator", file.path)], for: runID)
                    outcome.measurementID = id
                    log("stored as measurement #\(id) of run \(runID) in \(runs.path)")
                }
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw error
            }
            if json { return print(try EvaluationText.json(outcome)) }
            print(
                "\(outcome.calibrator); measured on \(outcome.measuredOn) (\(outcome.measuredCount) images), \(outcome.binning)"
            )
            let f = { (v: Double) in String(format: "%.4f", v) }
            let rows = [
                ("accuracy", \RunCalibration.Measures.accuracy), ("nll", \.nll), ("brier", \.brier), ("ece", \.ece),
                ("mce", \.mce), ("rms-ce", \.rmsCalibrationError),
            ].map { name, key in
                [name, f(outcome.before[keyPath: key]), f(outcome.after[keyPath: key])]
            }
            print(OutputTable(columns: ["metric", "before", "after"], rows: rows).text())
            if !outcome.conformal.isEmpty {
                print("conformal sets on \(outcome.measuredOn), fitted on the hold-out's conformal half:")
                print(EvaluationText.conformalTable(outcome.conformal))
            }
            for warning in outcome.warnings { print("warning: \(warning)") }
            print("wrote \(file.path)")
        }
    }
}

extension CalibrationMethod: ExpressibleByArgument {}
extension ConformalPredictor.Method: ExpressibleByArgument {}
