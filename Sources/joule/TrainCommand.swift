import ArgumentParser
import Foundation
import RunLog
import RunRecording
import Runs
import Settings
import Training

/// `joule train`: trains a classifier or an energy and records the run.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Train a classifier (cross-entropy or JEM) or an energy (score matching) on Fashion-MNIST, a PNG folder or a 2-D toy density.",
        discussion: """
            Settings come from the defaults, then --config FILE.yaml (a mapping such as `model: cnn-s`, \
            `batch-size: 64`), then the options given here. Checkpoints: CHECKPOINT_DIR/RUN_ID/last.safetensors \
            and best.safetensors (best on validation: accuracy for classifiers, the objective's loss for energies). \
            The run is recorded in the run store (\(RunStoreLocation.rule)), which remembers its folder: \
            `--resume RUN_ID`, `joule evaluate RUN_ID` and the others find it there.
            """
    )

    @OptionGroup(title: CoreSettings.title) var core: CoreSettings.Options
    @OptionGroup(title: "Configuration, resuming and recording") var recording: TrainRunOptions
    @OptionGroup(title: DataSettings.title) var data: DataSettings.Options
    @OptionGroup(title: TrainingDetails.title) var details: TrainingDetails.Options
    @OptionGroup(title: OutputSettings.title) var checkpoints: OutputSettings.Options
    @OptionGroup(title: JEMSettings.title) var jem: JEMSettings.Options
    @OptionGroup(title: DivergenceGuardSettings.title) var divergence: DivergenceGuardSettings.Options
    @OptionGroup(title: ScoreMatchingSettings.title) var scoreMatching: ScoreMatchingSettings.Options
    @OptionGroup(title: LearnedSamplerOptions.title) var learned: LearnedSamplerOptions.Options

    /// The session these options describe.
    func makeSession() throws -> TrainingSession {
        let store = recording.store.location
        var session = TrainingSession(store: store)
        session.resume = recording.resume
        session.configurationFile = recording.config.map { URL(fileURLWithPath: $0) }
        session.overrides = applyOptions
        session.checkpointDirectory = checkpoints.checkpointDirectory
        session.name = recording.name
        session.experiment = recording.experiment
        session.tags = try recording.parsedTags()
        session.dryRun = recording.dryRun
        let legacy = recording.store.legacyNote(checkpoints.checkpointDirectory)
        if !legacy.isEmpty { session.storeNote = "joule train: note: this run is recorded in \(store.path)" + legacy }
        session.log = Self.log
        return session
    }

    func run() throws {
        let store = recording.store.location
        let session = try makeSession()
        let outcome: TrainingSession.Outcome
        do {
            outcome = try session.run()
        } catch TrainingSessionError.stopped(let runID, let signal, let step) {
            Self.log(
                "joule train: stopped by \(signal) at step \(step); resume with: "
                    + CommandHint.command(["train", "--resume", runID], store: store))
            throw ExitCode(signal == "SIGTERM" ? 143 : 130)
        } catch TrainingSessionError.failed {
            throw ExitCode.failure  // already reported, and recorded as FAILED
        } catch {
            Self.log("joule train: \(error)")
            throw ExitCode.failure
        }
        let summary = outcome.summary
        if recording.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(
                "run \(summary.runID): \(summary.steps) steps, \(String(format: "%.1f", summary.seconds)) s"
                    + (summary.bestValidationAccuracy.map { String(format: ", best validation accuracy %.4f", $0) }
                        ?? "")
                    + (summary.testAccuracy.map { String(format: ", test accuracy %.4f", $0) } ?? "")
                    + (summary.bestValidationLoss.map { String(format: ", best validation loss %.4f", $0) } ?? "")
                    + (summary.testLoss.map { String(format: ", test loss %.4f", $0) } ?? ""))
        }
        guard !recording.dryRun else { return }
        Self.log(
            "recorded in \(store.path); next:\n  " + CommandHint.command(["evaluate", outcome.runID], store: store)
                + "\n  " + CommandHint.command(["report", outcome.runID, "--out", "report.html"], store: store))
    }

    /// The settings given here over `c`; `--epochs` without `--steps` also drops a step count
    /// set before (the file's, the checkpoint's).
    private func applyOptions(to c: inout RunConfiguration) {
        c.core.apply(core)
        if core.epochs != nil && core.steps == nil { c.core.steps = nil }
        c.data.apply(data)
        c.details.apply(details)
        c.output.apply(checkpoints)
        c.jem.apply(jem)
        c.divergenceGuard.apply(divergence)
        c.scoreMatching.apply(scoreMatching)
        c.learnedSampler.apply(learned)
    }

    static func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
