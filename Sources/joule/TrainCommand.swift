import ArgumentParser
import Foundation
import RunLog
import RunRecording
import Settings
import Runs
import Training

/// `joule train`: trains a classifier or an energy and records the run.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier (cross-entropy or JEM) or an energy (score matching) on Fashion-MNIST, a PNG folder or a 2-D toy density.",
        discussion: """
        Settings come from the defaults, then --config FILE.yaml (a mapping such as `model: cnn-s`, \
        `batch-size: 64`), then the options given here. Checkpoints: CHECKPOINT_DIR/RUN_ID/last.safetensors \
        and best.safetensors (best on validation: accuracy for classifiers, the objective's loss for energies). \
        The run is recorded in the run store (\(RunStoreLocation.rule)), which remembers its folder: \
        `--resume RUN_ID`, `joule evaluate RUN_ID` and the others find it there.
        """
    )

    @OptionGroup(title: CoreSettings.title) var core: CoreSettings.Options
    @OptionGroup(title: "Configuration, resuming and recording") var output: TrainRunOptions
    @OptionGroup(title: DataSettings.title) var data: DataSettings.Options
    @OptionGroup(title: TrainingDetails.title) var details: TrainingDetails.Options
    @OptionGroup(title: OutputSettings.title) var checkpoints: OutputSettings.Options
    @OptionGroup(title: JEMSettings.title) var jem: JEMSettings.Options
    @OptionGroup(title: DivergenceGuardSettings.title) var divergence: DivergenceGuardSettings.Options
    @OptionGroup(title: ScoreMatchingSettings.title) var scoreMatching: ScoreMatchingSettings.Options
    @OptionGroup(title: LearnedSamplerOptions.title) var learned: LearnedSamplerOptions.Options

    func run() throws {
        do {
            try train()
        } catch let error as ValidationError {
            throw error
        } catch let code as ExitCode {
            throw code
        } catch {
            FileHandle.standardError.write(Data("joule train: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func train() throws {
        let store = output.store.location
        var resumeFrom: TrainingCheckpoint?
        var c = RunConfiguration()
        if let resume = output.resume {
            let url = try CheckpointLocation.resolve(resume, checkpointDirectory: checkpoints.checkpointDirectory, which: "last",
                                                     store: store)
            let saved = try TrainingCheckpoint.read(from: url)
            resumeFrom = saved
            c = saved.configuration
            // The run's files stay in its folder, wherever the command runs from (a relative
            // checkpoint directory would point elsewhere from another folder) — when the
            // checkpoint is in the run's folder; a loose checkpoint file keeps the run's setting.
            let folder = url.deletingLastPathComponent()
            let parent = folder.deletingLastPathComponent().standardizedFileURL.path
            if folder.lastPathComponent == saved.progress.runID,
               URL(fileURLWithPath: c.output.checkpointDirectory).standardizedFileURL.path != parent {
                c.output.checkpointDirectory = parent
            }
        }
        if let config = output.config { try c.apply(contentsOf: URL(fileURLWithPath: config)) }
        c = try applyingOptions(to: c).validated()
        // The data is read and checked before anything is recorded: a bad dataset leaves no run.
        let prepared = try RunPreparation(c, resuming: resumeFrom != nil)
        c = prepared.configuration
        // Checked on the values the run would use (a cap applied at the start applies again).
        if let saved = resumeFrom?.configuration {
            let conflicts = saved.resumeConflicts(with: c)
            guard conflicts.isEmpty else {
                throw ValidationErrorText("a resumed run keeps the settings its checkpoint was made with; cannot change "
                                          + conflicts.joined(separator: ", "))
            }
        }
        for warning in prepared.warnings { Self.log("joule train: warning: \(warning)") }
        if let saved = resumeFrom?.configuration {
            let changes = saved.changes(to: c)
            if !changes.isEmpty { Self.log("joule train: resuming with changed settings: \(changes.joined(separator: ", "))") }
        }

        let legacy = output.store.legacyNote(checkpoints.checkpointDirectory)
        if !legacy.isEmpty { Self.log("joule train: note: this run is recorded in \(store.path)" + legacy) }
        let runID = resumeFrom?.progress.runID ?? RunIdentifier.make()
        let dryRun = output.dryRun
        let folder = URL(fileURLWithPath: c.output.checkpointDirectory, isDirectory: true).appendingPathComponent(runID, isDirectory: true)
            .standardizedFileURL
        let recorder = try dryRun ? nil : StoreRecorder(
            store: RunStore(path: store.path, createDirectory: true), runID: runID, configuration: c,
            resumedStep: resumeFrom?.progress.step, previous: resumeFrom?.configuration, folder: folder, name: output.name,
            experiment: output.experiment, tags: try parsedTags())
        // From here on the run is recorded: any failure marks it FAILED with the reason.
        do {
            try run(c, prepared: prepared, runID: runID, resumeFrom: resumeFrom, recorder: recorder, folder: folder, store: store)
        } catch let code as ExitCode {
            throw code
        } catch {
            Self.log("joule train: \(error)")
            if let recorder {
                do {
                    try recorder.end(.failed(reason: "\(error)"))
                    Self.log("the run \(runID) is recorded as FAILED in \(store.path)")
                } catch let recording {
                    Self.log("the run \(runID) could not be recorded as FAILED in \(store.path): \(recording)")
                }
            }
            throw ExitCode.failure
        }
    }

    private func run(_ c: RunConfiguration, prepared: RunPreparation, runID: String, resumeFrom: TrainingCheckpoint?,
                     recorder: StoreRecorder?, folder: URL, store: RunStoreLocation) throws {
        let dryRun = output.dryRun
        let directory = dryRun ? nil : URL(fileURLWithPath: c.output.checkpointDirectory, isDirectory: true)
        var trainer = Trainer(configuration: c, data: prepared.data, checkpointDirectory: directory)
        trainer.reporter = ProgressReporter(totalSteps: dryRun ? 3 : trainer.totalSteps)
        trainer.recorder = recorder
        StopSignals.install()
        let resuming = resumeFrom.map { "resuming run \(runID) at step \($0.progress.step)" }
        Self.log((resuming ?? "run \(runID): \(c.core.model) on \(prepared.description)")
                 + (dryRun ? " (dry run: nothing is written or recorded)" : "\n  recorded in \(store.path)\n  files in \(folder.path)"))
        var summary: TrainingSummary
        do {
            summary = try trainer.run(runID: runID, resume: resumeFrom, stopAfterSteps: dryRun ? 3 : nil)
        } catch TrainingError.stopped(let signal, let step) {
            try? recorder?.end(.stopped(reason: "\(signal) at step \(step)"))
            Self.log("joule train: stopped by \(signal) at step \(step); resume with: "
                     + CommandHint.command(["train", "--resume", runID], store: store))
            throw ExitCode(signal == "SIGTERM" ? 143 : 130)
        }
        // The training succeeded; a store that cannot record its end is only a warning.
        do {
            try recorder?.end(.finished)
        } catch {
            Self.log("joule train: the run finished but the run store could not record it: \(error)")
        }
        summary.runStoreSeconds = recorder?.secondsRecording
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print("run \(summary.runID): \(summary.steps) steps, \(String(format: "%.1f", summary.seconds)) s"
                  + (summary.bestValidationAccuracy.map { String(format: ", best validation accuracy %.4f", $0) } ?? "")
                  + (summary.testAccuracy.map { String(format: ", test accuracy %.4f", $0) } ?? "")
                  + (summary.bestValidationLoss.map { String(format: ", best validation loss %.4f", $0) } ?? "")
                  + (summary.testLoss.map { String(format: ", test loss %.4f", $0) } ?? ""))
        }
        guard !dryRun else { return }
        Self.log("recorded in \(store.path); next:\n  " + CommandHint.command(["evaluate", runID], store: store)
                 + "\n  " + CommandHint.command(["report", runID, "--out", "report.html"], store: store))
    }

    /// The settings given here over `base`; `--epochs` without `--steps` also drops a step
    /// count set before (the file's, the checkpoint's).
    private func applyingOptions(to base: RunConfiguration) -> RunConfiguration {
        var c = base
        c.core.apply(core)
        if core.epochs != nil && core.steps == nil { c.core.steps = nil }
        c.data.apply(data)
        c.details.apply(details)
        c.output.apply(checkpoints)
        c.jem.apply(jem)
        c.divergenceGuard.apply(divergence)
        c.scoreMatching.apply(scoreMatching)
        c.learnedSampler.apply(learned)
        return c
    }

    static func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    private func parsedTags() throws -> [String: String] {
        var result: [String: String] = [:]
        for tag in output.tags {
            guard let equals = tag.firstIndex(of: "="), equals != tag.startIndex else {
                throw ValidationError("--tag '\(tag)': expected KEY=VALUE")
            }
            result[String(tag[..<equals])] = String(tag[tag.index(after: equals)...])
        }
        return result
    }
}
