import Foundation
import JouleVersion
import RunLog
import Runs
import Settings
import Training

/// Records a training run in the run store as it goes (`RunRecorder` over SQLite): the run
/// and its resolved configuration at the start, metrics in batched transactions,
/// checkpoints as artifacts, and how it ended.
public final class StoreRecorder: RunRecorder {
    /// The run store the run is recorded in.
    public let store: RunStore
    /// The id of the run recorded (a new one, or the resumed run's).
    public let runID: String
    private let logger: MetricLogger
    private var secondsRecordingFiles = 0.0
    /// Files rewritten during the run, checksummed once when it ends.
    private var pendingFiles: [String: String] = [:]

    /// Opens the run in `store`: a new run, or (resuming) the same id continued from
    /// `resumedStep`. `folder` is where the run's files are. A resumed run whose settings
    /// changed (`configuration` against the checkpoint's `previous`) records the values it now
    /// runs with, and a tag `changed-at-step-N` saying what changed.
    public init(
        store: RunStore, runID: String, configuration: RunConfiguration, resumedStep: Int?,
        previous: RunConfiguration? = nil, folder: URL? = nil, name: String? = nil, experiment: String? = nil,
        tags: [String: String] = [:]
    ) throws {
        self.store = store
        self.runID = runID
        logger = MetricLogger(store: store, runID: runID)
        let exists = (try? store.run(runID).id) == runID
        if let resumedStep, exists {
            try store.transaction {
                try store.resumeRun(id: runID, fromStep: resumedStep, folder: folder?.path)
                if !tags.isEmpty { try store.setTags(tags, for: runID) }
                // The store keeps the values in use; the tag names the changes a user made.
                if let previous, previous != configuration {
                    try store.updateSettings(of: runID, config: configuration.jsonText, params: configuration.params)
                    let changes = previous.changes(to: configuration)
                    if !changes.isEmpty {
                        try store.setTags(
                            ["changed-at-step-\(resumedStep)": changes.joined(separator: ", ")], for: runID)
                    }
                }
            }
        } else {
            try store.createRun(
                NewRun(
                    id: runID, name: name ?? runID, experiment: experiment,
                    // Seeds are UInt64; the store keeps the same 64 bits as a signed integer.
                    seed: Int(Int64(bitPattern: configuration.core.seed)),
                    objective: configuration.core.objective.rawValue, model: configuration.core.model.settingText,
                    dataset: configuration.core.dataset.settingText,
                    config: configuration.jsonText, codeVersion: JouleVersion.code, folder: folder?.path,
                    params: configuration.params, tags: tags))
        }
    }

    /// The first write that failed; after it the recorder writes nothing more, and training
    /// goes on (losing the run's record is better than losing the run).
    public private(set) var failure: Error?

    /// Logs values at a step (written in batches).
    public func log(_ values: [(String, Double)], step: Int) { recording { try logger.log(values, step: step) } }

    private func recording(_ body: () throws -> Void) {
        guard failure == nil else { return }
        do {
            try body()
        } catch {
            failure = error
            FileHandle.standardError.write(Data("joule: recording to the run store stopped: \(error)\n".utf8))
        }
    }

    /// Writes the pending metrics now (before a checkpoint, so the store holds every step the
    /// checkpoint has seen).
    public func flush() { recording { try logger.flush() } }

    /// Records a file the run wrote. A final one (a sample grid) gets its checksum now; one
    /// rewritten as the run goes (a checkpoint) gets it when the run ends (hashing each
    /// version would cost more than logging).
    public func recordFile(_ url: URL, kind: String, final: Bool) {
        recording {
            let start = Date()
            if final {
                try store.addArtifact(kind: kind, path: url.path, for: runID)
            } else {
                try logger.flush()
                if pendingFiles[url.path] == nil { try store.noteArtifact(kind: kind, path: url.path, for: runID) }
                pendingFiles[url.path] = kind
            }
            secondsRecordingFiles += Date().timeIntervalSince(start)
        }
    }

    /// Writes pending metrics, checksums the run's files and marks the run ended.
    public func end(_ outcome: RunOutcome) throws {
        switch outcome {
        case .finished: try finish(.finished)
        case .stopped(let reason): try finish(.killed, reason: reason)
        case .failed(let reason): try finish(.failed, reason: reason)
        }
    }

    private func finish(_ status: RunStatus, reason: String? = nil) throws {
        if let failure { throw failure }
        try logger.flush()
        let start = Date()
        for (path, kind) in pendingFiles.sorted(by: { $0.key < $1.key }) {
            try store.addArtifact(kind: kind, path: path, for: runID)
        }
        pendingFiles.removeAll()
        secondsRecordingFiles += Date().timeIntervalSince(start)
        try store.endRun(id: runID, status: status, reason: reason)
    }

    /// Seconds spent writing to the store so far (metrics, and checksums of recorded files).
    public var secondsRecording: Double { logger.secondsWriting + secondsRecordingFiles }
    /// Metric rows written so far.
    public var rowsWritten: Int { logger.rowsWritten }
}
