import Foundation

/// Where a run stands. A run whose process died without saying so stays `running` in the
/// database; `RunRecord.displayStatus` shows it as interrupted.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running = "RUNNING"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"
}

/// What a new run is, as `createRun` records it.
public struct NewRun: Sendable {
    /// The run's id, unique in the store (`createRun` refuses one already there).
    public var id: String
    /// A name for people; the id when none is given.
    public var name: String
    /// The experiment the run belongs to, by name (created on first use); nil for none.
    public var experiment: String?
    /// The random seed; a `UInt64` seed is kept as the same 64 bits read as a signed integer.
    public var seed: Int?
    /// The training objective's name, e.g. `ce`, `jem` or `dsm`.
    public var objective: String?
    /// The model as the `--model` setting spells it, e.g. `cnn-s` or `wrn-16-4`.
    public var model: String?
    /// The training set as the `--dataset` setting spells it, e.g. `fashion-mnist` or `toy:NAME`.
    public var dataset: String?
    /// The resolved configuration, as JSON text.
    public var config: String?
    /// The Joule build that runs it: the short commit hash, with `-dirty` for uncommitted changes.
    public var codeVersion: String?
    /// The folder holding the run's files (checkpoints, samples, calibrators), absolute.
    public var folder: String?
    /// The settings the run uses, by key, as text (numeric ones are also kept as numbers, for filters).
    public var params: [String: String]
    /// Free-form labels by key (`joule train --tag KEY=VALUE`).
    public var tags: [String: String]

    /// Describes a new run; `name` defaults to `id`, and details left out are recorded as unknown (NULL).
    public init(
        id: String, name: String? = nil, experiment: String? = nil, seed: Int? = nil, objective: String? = nil,
        model: String? = nil, dataset: String? = nil, config: String? = nil, codeVersion: String? = nil,
        folder: String? = nil, params: [String: String] = [:], tags: [String: String] = [:]
    ) {
        self.id = id
        self.name = name ?? id
        self.experiment = experiment
        self.seed = seed
        self.objective = objective
        self.model = model
        self.dataset = dataset
        self.config = config
        self.codeVersion = codeVersion
        self.folder = folder
        self.params = params
        self.tags = tags
    }
}

/// A run as stored.
public struct RunRecord: Sendable, Equatable {
    /// The run's id, unique in the store.
    public var id: String
    /// The name for people (the id when none was given).
    public var name: String
    /// The experiment the run belongs to, by name; nil for none.
    public var experiment: String?
    /// The status as recorded; `displayStatus` also tells an interrupted run from a running one.
    public var status: RunStatus
    /// Why the run stopped or failed, in words; nil while it runs and once it finished.
    public var statusReason: String?
    /// When the run was created (a resume keeps it).
    public var startTime: Date
    /// When the run finished, stopped or failed; nil while it runs.
    public var endTime: Date?
    /// The random seed (a `UInt64` seed's 64 bits read as a signed integer); nil when not recorded.
    public var seed: Int?
    /// The training objective's name, e.g. `ce` or `jem`; nil when not recorded.
    public var objective: String?
    /// The model as the `--model` setting spells it, e.g. `cnn-s`; nil when not recorded.
    public var model: String?
    /// The training set as the `--dataset` setting spells it, e.g. `fashion-mnist`; nil when not recorded.
    public var dataset: String?
    /// The resolved configuration as JSON text (after a resume that changed settings, the new ones); nil when not
    /// recorded.
    public var config: String?
    /// The Joule build that created the run (short commit hash, `-dirty` for uncommitted changes); nil when not
    /// recorded.
    public var codeVersion: String?
    /// The name of the machine that last started or resumed the run.
    public var host: String?
    /// The id of the process that last started or resumed the run on `host`, to tell a live run from a dead one.
    public var pid: Int?
    /// When the run last wrote to the store (created, resumed, logged metrics or ended); a running run on another
    /// host that has been silent for longer than `displayStatus`'s `staleAfter` shows as interrupted.
    public var heartbeatTime: Date?
    /// The folder holding the run's files, absolute; nil for runs recorded without one.
    public var folder: String?

    /// The status to show: `INTERRUPTED` for a run still marked running whose process is
    /// gone (same host, no such process) or silent for over `staleAfter` seconds.
    public func displayStatus(now: Date = Date(), staleAfter: TimeInterval = 600) -> String {
        guard status == .running else { return status.rawValue }
        if let host, host == ProcessInfo.processInfo.hostName {
            if let pid, !ProcessLiveness.isAlive(pid: pid) { return "INTERRUPTED" }
        } else if now.timeIntervalSince(heartbeatTime ?? startTime) > staleAfter {
            return "INTERRUPTED"
        }
        return status.rawValue
    }
}

/// One metric observation.
public struct MetricRecord: Sendable, Equatable {
    /// The metric's name, e.g. `train/loss` or `validation/accuracy`.
    public var key: String
    /// The training step the value belongs to; a key keeps one value per step (the newer one).
    public var step: Int
    /// The value; NaN and ±Inf are kept as such (NaN is stored as NULL).
    public var value: Double
    /// When the value was observed.
    public var timestamp: Date

    /// An observation of `key` at `step`, timestamped now unless `timestamp` is given.
    public init(key: String, step: Int, value: Double, timestamp: Date = Date()) {
        self.key = key
        self.step = step
        self.value = value
        self.timestamp = timestamp
    }
}

/// A metric's value at a step (NaN and ±Inf come back as stored).
public struct MetricPointRecord: Sendable, Equatable {
    /// The training step the value was logged at.
    public var step: Int
    /// The value as logged, NaN and ±Inf included.
    public var value: Double
    /// When the value was logged.
    public var timestamp: Date
}

/// A file produced by a run.
public struct ArtifactRecord: Sendable, Equatable {
    /// What the file is: `checkpoint`, `checkpoint-best`, `calibrator`, `image-samples`, `report`, ….
    public var kind: String
    /// The file's path as it was recorded; a run records each path once (recording it again updates the row).
    public var path: String
    /// The file's SHA-256 as 64 lowercase hex digits; nil until taken (a checkpoint still being rewritten) or when
    /// the file was missing.
    public var sha256: String?
    /// The file's size in bytes; nil whenever `sha256` is.
    public var bytes: Int?
    /// When the file was last recorded.
    public var createdAt: Date
}

/// One number of an evaluation: `metric` of `score` on `dataset` (e.g. auroc of energy on mnist-5k).
public struct EvaluationRecord: Sendable, Equatable {
    /// The set measured: the in-distribution set (`test`) for classifier and calibration metrics, an OOD set's name
    /// (`mnist-5k`, `png:PATH`) for detection metrics, or `toy:NAME` for MMD².
    public var dataset: String
    /// What was scored: an OOD score's name (`energy`, `max-softmax`, …), `classifier`, `uncalibrated` or
    /// `calibrated:METHOD`, or `samples` (MMD²).
    public var score: String
    /// The metric's name, e.g. `accuracy`, `ece`, `auroc`, `fpr95` or `mmd2`.
    public var metric: String
    /// The metric's value (NaN is stored as NULL and read back as NaN).
    public var value: Double
    /// Settings as JSON text (bins, thresholds, conventions, the counts behind the value).
    public var settings: String?
    /// The measurement the value belongs to (set when read from the store).
    public var measurementID: Int?

    /// A value to record; `measurementID` is for values read back (`recordMeasurement` ignores it).
    public init(
        dataset: String, score: String, metric: String, value: Double, settings: String? = nil,
        measurementID: Int? = nil
    ) {
        self.dataset = dataset
        self.score = score
        self.metric = metric
        self.value = value
        self.settings = settings
        self.measurementID = measurementID
    }
}

/// Per-sample scores of one dataset, so any metric can be recomputed later.
public struct SampleScoreRecord: Sendable, Equatable {
    /// The set the sample is from: the in-distribution set (`test`) or an OOD set's name.
    public var dataset: String
    /// The sample's position in its set, from 0.
    public var index: Int
    /// The sample's true class; nil for an unlabelled sample (synthetic and user sets).
    public var label: Int?
    /// The classifier's predicted class (the arg-max); nil without a classifier head.
    public var prediction: Int?
    /// The predicted class's probability, in [0, 1]; nil without a classifier head.
    public var confidence: Double?
    /// The score's name, e.g. `energy` or `max-softmax`.
    public var score: String
    /// The sample's score (higher = more in-distribution); NaN is stored as NULL and read back as NaN.
    public var value: Double
    /// The measurement the score belongs to (set when read from the store).
    public var measurementID: Int?

    /// A sample's row to record; `measurementID` is for rows read back (`recordMeasurement` ignores it).
    public init(
        dataset: String, index: Int, label: Int?, prediction: Int?, confidence: Double?, score: String, value: Double,
        measurementID: Int? = nil
    ) {
        self.dataset = dataset
        self.index = index
        self.label = label
        self.prediction = prediction
        self.confidence = confidence
        self.score = score
        self.value = value
        self.measurementID = measurementID
    }
}
