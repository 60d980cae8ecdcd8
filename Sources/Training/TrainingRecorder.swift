import Foundation
import JouleVersion
import RunLog

/// Records a training run in the run store as it goes: the run and its resolved
/// configuration at the start, metrics in batched transactions, checkpoints as artifacts,
/// and how it ended.
public final class TrainingRecorder {
    public let store: RunStore
    public let runID: String
    private let logger: MetricLogger
    private var secondsRecordingFiles = 0.0
    /// Files rewritten during the run, checksummed once when it ends.
    private var pendingFiles: [String: String] = [:]

    /// Opens the run in `store`: a new run, or (resuming) the same id continued from
    /// `resumedStep`. `folder` is where the run's files are. A resumed run whose settings
    /// changed (`configuration` against the checkpoint's `previous`) records the values it now
    /// runs with, and a tag `changed-at-step-N` saying what changed.
    public init(store: RunStore, runID: String, configuration: TrainingConfiguration, resumedStep: Int?,
                previous: TrainingConfiguration? = nil, folder: URL? = nil, name: String? = nil, experiment: String? = nil,
                tags: [String: String] = [:]) throws {
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
                    try store.updateSettings(of: runID, config: configuration.jsonText, params: configuration.flattened)
                    let changes = Self.changes(from: previous, to: configuration)
                    if !changes.isEmpty {
                        try store.setTags(["changed-at-step-\(resumedStep)": changes.joined(separator: ", ")], for: runID)
                    }
                }
            }
        } else {
            try store.createRun(NewRun(
                id: runID, name: name ?? runID, experiment: experiment, seed: Int(Int64(bitPattern: configuration.seed)),
                objective: configuration.objective, model: configuration.model, dataset: configuration.dataset,
                // Seeds are UInt64; the store keeps the same 64 bits as a signed integer.
                config: configuration.jsonText, codeVersion: JouleVersion.code, folder: folder?.path,
                params: configuration.flattened, tags: tags))
        }
    }

    /// The settings `new` changes from `old`, as "lr 0.001 → 0.0005" (a setting left out is
    /// "unset"), in name order. Not counted: where the run's folder is written from
    /// (`checkpoint-dir`, which a resume from another folder spells out), and the channels a
    /// run recorded before the setting existed read its images with (filled in on resume).
    public static func changes(from old: TrainingConfiguration, to new: TrainingConfiguration) -> [String] {
        var before = old.flattened, after = new.flattened
        before["checkpoint-dir"] = nil
        after["checkpoint-dir"] = nil
        if before["channels"] == nil { after["channels"] = nil }
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key) \(before[key] ?? "unset") → \(after[key] ?? "unset")"
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
    public func flushMetrics() { recording { try logger.flush() } }

    /// Records a checkpoint file once it is written. Its checksum is taken when the run
    /// ends (it is rewritten every epoch; hashing each version would cost more than logging).
    public func checkpointWritten(_ url: URL, kind: String) {
        recording {
            try logger.flush()
            let start = Date()
            if pendingFiles[url.path] == nil { try store.noteArtifact(kind: kind, path: url.path, for: runID) }
            pendingFiles[url.path] = kind
            secondsRecordingFiles += Date().timeIntervalSince(start)
        }
    }

    /// Records a file that will not change again (a sample grid), with its checksum now.
    public func fileWritten(_ url: URL, kind: String) {
        recording {
            let start = Date()
            try store.addArtifact(kind: kind, path: url.path, for: runID)
            secondsRecordingFiles += Date().timeIntervalSince(start)
        }
    }

    /// Writes pending metrics, checksums the run's files and marks the run ended.
    public func finish(_ status: RunStatus, reason: String? = nil) throws {
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
    public var secondsWriting: Double { logger.secondsWriting + secondsRecordingFiles }
    /// Metric rows written so far.
    public var rowsWritten: Int { logger.rowsWritten }
}

extension TrainingConfiguration {
    /// The configuration as sorted JSON text.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Every setting under its YAML / command-line name (`lr`, `batch-size`), for the
    /// params table; unset optional settings are left out.
    var flattened: [String: String] {
        func text(_ value: Float) -> String { "\(value)" }
        var settings: [String: String?] = [
            "objective": objective, "dataset": dataset, "dataset-path": datasetPath, "channels": channels.map(String.init), "model": model,
            "normalization": normalization.rawValue, "dropout": text(dropout), "epochs": "\(epochs)",
            "steps": steps.map { "\($0)" }, "batch-size": "\(batchSize)", "evaluation-batch-size": "\(evaluationBatchSize)",
            "lr": text(learningRate), "optimizer": optimizer, "momentum": text(momentum), "nesterov": "\(nesterov)",
            "weight-decay": text(weightDecay), "beta1": text(beta1), "beta2": text(beta2), "warmup": "\(warmupSteps)",
            "schedule": schedule, "step-every": stepEvery.map { "\($0)" }, "gamma": text(gamma),
            "clip-norm": clipNorm.map(text), "noise": text(noise), "crop-padding": "\(cropPadding)", "flip": "\(flip)",
            "seed": "\(seed)", "validation-size": "\(validationSize)", "checkpoint-dir": checkpointDirectory,
            "checkpoint-every": checkpointEvery.map(String.init),
        ]
        if !milestones.isEmpty { settings["milestones"] = milestones.map { "\($0)" }.joined(separator: ",") }
        var result = settings.compactMapValues { $0 }
        if objective == "jem" { result.merge(jemSettings.flattened) { a, _ in a } }
        if isScoreMatching { result.merge(scoreMatchingSettings.flattened) { a, _ in a } }
        if isLearnedSampler {
            result.merge(learnedSamplerSettings.flattened) { a, _ in a }
            let weights = jemWeights
            result["px-weight"] = "\(weights.marginal)"
            result["pyx-weight"] = "\(weights.classification)"
            result["energy-l2"] = "\(weights.energySquared)"
        }
        return result
    }
}
