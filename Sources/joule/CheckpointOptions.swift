import ArgumentParser
import Evaluation
import Foundation
import RunLog
import Runs

/// Which checkpoint a command reads unless told: `best` for measuring, `last` for sampling.
protocol PreferredCheckpoint {
    static var which: CheckpointLocation.Which { get }
}

/// Measuring commands read the best checkpoint on validation.
enum BestCheckpoint: PreferredCheckpoint { static let which = CheckpointLocation.Which.best }
/// Sampling continues from where training stopped.
enum LastCheckpoint: PreferredCheckpoint { static let which = CheckpointLocation.Which.last }

extension CheckpointLocation.Which: ExpressibleByArgument {}

/// The checkpoint a command reads, shared by evaluate, calibrate, score and sample: a run (its
/// id or a unique prefix) or a checkpoint file, the run store that knows the run's folder,
/// and which of the run's checkpoints.
struct CheckpointOptions<Preferred: PreferredCheckpoint>: ParsableArguments {
    @Argument(help: "Run id (or a unique prefix) or a checkpoint file.") var runOrFile: String
    @OptionGroup var store: RunStoreOptions
    @Option(help: "Where run folders are, for a run the store does not know (default: checkpoints).") var checkpointDir:
        String?
    @Option(help: "Which checkpoint of the run: best (on validation) or last.") var checkpoint = Preferred.which

    /// The checkpoint file, checked to exist.
    func url() throws -> URL {
        try CheckpointLocation.resolve(
            runOrFile, checkpointDirectory: checkpointDir, which: checkpoint, store: store.location)
    }

    /// The checkpoint file and what it holds.
    func read() throws -> (url: URL, saved: TrainingCheckpoint) {
        let url = try url()
        return (url, try TrainingCheckpoint.read(from: url))
    }

    /// `joule calibrate` for the same checkpoint, named the same way (to refit a calibrator).
    var calibrateHint: String {
        CommandHint.command(
            ["calibrate", runOrFile] + (checkpoint == .best ? [] : ["--checkpoint", checkpoint.rawValue])
                + (checkpointDir.map { ["--checkpoint-dir", $0] } ?? []), store: store.location)
    }

    /// The run store when it holds `runID`, for recording what the command measured; nil
    /// otherwise (a checkpoint file from elsewhere is measured without being recorded), with
    /// the reason in `log` when one is given.
    func storeHolding(_ runID: String, log: ((String) -> Void)?) -> RunStore? {
        guard let runs = store.openIfPresent(checkpointDirectory: checkpointDir, log: log ?? { _ in }) else {
            return nil
        }
        guard (try? runs.run(runID).id) == runID else {
            log?("not recorded: run \(runID) is not in \(runs.path)" + store.legacyNote(checkpointDir))
            return nil
        }
        return runs
    }
}

/// `--calibrator` and `--no-calibrator`, shared by evaluate and score.
struct CalibratorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The calibrator to apply: latest (fitted on the checkpoint's weights), none, vN, or a .json file.",
            valueName: "choice"),
        transform: { text in
            guard let choice = StoredCalibrator.Choice(text) else {
                throw ValidationError("expected latest, none, vN or a .json file")
            }
            return choice
        })
    var calibrator = StoredCalibrator.Choice.latest
    @Flag(help: "The same as --calibrator none.") var noCalibrator = false

    var choice: StoredCalibrator.Choice { noCalibrator ? .none : calibrator }
}
