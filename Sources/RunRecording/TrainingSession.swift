import Foundation
import RunLog
import Runs
import Settings
import Training

/// `joule train`'s work without the command line: the settings resolved (the defaults, or the
/// resumed checkpoint's; then a YAML file; then the options given), the data read and checked
/// before anything is recorded (a bad dataset leaves no run behind), the run trained and
/// recorded as it goes, and its end — finished, stopped by a signal, failed — recorded
/// whatever happens.
public struct TrainingSession {
    /// A run to continue: its id (or a unique prefix) or a checkpoint file.
    public var resume: String?
    /// A YAML file of settings, applied over the defaults (or the resumed run's).
    public var configurationFile: URL?
    /// The settings given on the command line, applied last.
    public var overrides: (inout RunConfiguration) -> Void = { _ in }
    /// Where the run is recorded.
    public var store: RunStoreLocation
    /// Where run folders are when a resumed run is not in the store.
    public var checkpointDirectory: String?
    /// The run's name in the store (default: its id); a resumed run keeps the name it has.
    public var name: String?
    /// The experiment a new run is filed under; nil for none (a resumed run keeps its own).
    public var experiment: String?
    /// Tags (key → value) recorded with the run; a resumed run gains them, each replacing one of the same key.
    public var tags: [String: String] = [:]
    /// A few batches to check the set-up; nothing is written or recorded.
    public var dryRun = false
    /// A note about the store, logged once the run is about to be recorded.
    public var storeNote: String?
    /// Where the session's lines go (standard error for the command line).
    public var log: (String) -> Void = { _ in }

    /// A session recording in `store`: a new run with the default settings unless the properties say otherwise.
    public init(store: RunStoreLocation) {
        self.store = store
    }

    /// How a session that trained ended.
    public struct Outcome {
        /// What the training reports: steps, time, accuracies and checkpoints.
        public var summary: TrainingSummary
        /// The run's id: a new one, or the resumed run's.
        public var runID: String
    }

    /// The run's settings, validated: the defaults (or the resumed checkpoint's), then the
    /// YAML file, then the overrides; and the checkpoint resumed from, if any.
    public func resolvedConfiguration() throws -> (configuration: RunConfiguration, resuming: TrainingCheckpoint?) {
        var resumeFrom: TrainingCheckpoint?
        var c = RunConfiguration()
        if let resume {
            let url = try CheckpointLocation.resolve(
                resume, checkpointDirectory: checkpointDirectory, which: .last, store: store)
            let saved = try TrainingCheckpoint.read(from: url)
            resumeFrom = saved
            c = saved.configuration
            // The run's files stay in its folder, wherever the command runs from (a relative
            // checkpoint directory would point elsewhere from another folder) — when the
            // checkpoint is in the run's folder; a loose checkpoint file keeps the run's setting.
            let folder = url.deletingLastPathComponent()
            let parent = folder.deletingLastPathComponent().standardizedFileURL.path
            if folder.lastPathComponent == saved.progress.runID,
                URL(fileURLWithPath: c.output.checkpointDirectory).standardizedFileURL.path != parent
            {
                c.output.checkpointDirectory = parent
            }
        }
        if let configurationFile { try c.apply(contentsOf: configurationFile) }
        overrides(&c)
        return (try c.validated(), resumeFrom)
    }

    /// Trains (or continues) the run. A failure once the run is recorded marks it FAILED with
    /// the reason and throws `TrainingSessionError.failed`; a stop by signal records it as
    /// stopped and throws `TrainingSessionError.stopped`.
    public func run() throws -> Outcome {
        var (c, resumeFrom) = try resolvedConfiguration()
        // The data is read and checked before anything is recorded: a bad dataset leaves no run.
        let prepared = try RunPreparation(c, resuming: resumeFrom != nil)
        c = prepared.configuration
        // Checked on the values the run would use (a cap applied at the start applies again).
        if let saved = resumeFrom?.configuration {
            let conflicts = saved.resumeConflicts(with: c)
            guard conflicts.isEmpty else { throw TrainingSessionError.resumeConflicts(conflicts) }
        }
        for warning in prepared.warnings { log("joule train: warning: \(warning)") }
        if let saved = resumeFrom?.configuration {
            let changes = saved.changes(to: c)
            if !changes.isEmpty {
                log("joule train: resuming with changed settings: \(changes.joined(separator: ", "))")
            }
        }
        if let storeNote { log(storeNote) }
        let runID = resumeFrom?.progress.runID ?? RunIdentifier.make()
        let folder = URL(fileURLWithPath: c.output.checkpointDirectory, isDirectory: true).appendingPathComponent(
            runID, isDirectory: true
        )
        .standardizedFileURL
        let recorder =
            try dryRun
            ? nil
            : StoreRecorder(
                store: RunStore(path: store.path, createDirectory: true), runID: runID, configuration: c,
                resumedStep: resumeFrom?.progress.step, previous: resumeFrom?.configuration, folder: folder, name: name,
                experiment: experiment, tags: tags)
        // From here on the run is recorded: any failure marks it FAILED with the reason.
        do {
            return try train(
                c, prepared: prepared, runID: runID, resumeFrom: resumeFrom, recorder: recorder, folder: folder)
        } catch let error as TrainingSessionError {
            throw error
        } catch {
            log("joule train: \(error)")
            if let recorder {
                do {
                    try recorder.end(.failed(reason: "\(error)"))
                    log("the run \(runID) is recorded as FAILED in \(store.path)")
                } catch let recording {
                    log("the run \(runID) could not be recorded as FAILED in \(store.path): \(recording)")
                }
            }
            throw TrainingSessionError.failed(runID: runID)
        }
    }

    private func train(
        _ c: RunConfiguration, prepared: RunPreparation, runID: String, resumeFrom: TrainingCheckpoint?,
        recorder: StoreRecorder?, folder: URL
    ) throws -> Outcome {
        let directory = dryRun ? nil : URL(fileURLWithPath: c.output.checkpointDirectory, isDirectory: true)
        var trainer = Trainer(configuration: c, data: prepared.data, checkpointDirectory: directory)
        trainer.reporter = ProgressReporter(totalSteps: dryRun ? 3 : trainer.totalSteps)
        trainer.recorder = recorder
        StopSignals.install()
        let resuming = resumeFrom.map { "resuming run \(runID) at step \($0.progress.step)" }
        log(
            (resuming ?? "run \(runID): \(c.core.model) on \(prepared.description)")
                + (dryRun
                    ? " (dry run: nothing is written or recorded)"
                    : "\n  recorded in \(store.path)\n  files in \(folder.path)"))
        var summary: TrainingSummary
        do {
            summary = try trainer.run(runID: runID, resume: resumeFrom, stopAfterSteps: dryRun ? 3 : nil)
        } catch TrainingError.stopped(let signal, let step) {
            try? recorder?.end(.stopped(reason: "\(signal) at step \(step)"))
            throw TrainingSessionError.stopped(runID: runID, signal: signal, step: step)
        }
        // The training succeeded; a store that cannot record its end is only a warning.
        do {
            try recorder?.end(.finished)
        } catch {
            log("joule train: the run finished but the run store could not record it: \(error)")
        }
        summary.runStoreSeconds = recorder?.secondsRecording
        return Outcome(summary: summary, runID: runID)
    }
}

/// How a training session ended without finishing.
public enum TrainingSessionError: Error, CustomStringConvertible {
    /// A resumed run was given settings it must keep ("--key (run: a, given: b)").
    case resumeConflicts([String])
    /// Stopped by `signal` at `step`; the run is recorded as stopped and can be resumed.
    case stopped(runID: String, signal: String, step: Int)
    /// Failed once recorded; the reason is logged and the run recorded as FAILED.
    case failed(runID: String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .resumeConflicts(let conflicts):
            "a resumed run keeps the settings its checkpoint was made with; cannot change "
                + conflicts.joined(separator: ", ")
        case .stopped(let runID, let signal, let step): "run \(runID) stopped by \(signal) at step \(step)"
        case .failed(let runID): "run \(runID) failed"
        }
    }
}
