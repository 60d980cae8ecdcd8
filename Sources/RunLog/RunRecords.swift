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
    public var id: String
    public var name: String
    public var experiment: String?
    public var seed: Int?
    public var objective: String?
    public var model: String?
    public var dataset: String?
    /// The resolved configuration, as JSON text.
    public var config: String?
    public var codeVersion: String?
    /// The folder holding the run's files (checkpoints, samples, calibrators), absolute.
    public var folder: String?
    public var params: [String: String]
    public var tags: [String: String]

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
    public var id: String
    public var name: String
    public var experiment: String?
    public var status: RunStatus
    public var statusReason: String?
    public var startTime: Date
    public var endTime: Date?
    public var seed: Int?
    public var objective: String?
    public var model: String?
    public var dataset: String?
    public var config: String?
    public var codeVersion: String?
    public var host: String?
    public var pid: Int?
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
    public var key: String
    public var step: Int
    public var value: Double
    public var timestamp: Date

    public init(key: String, step: Int, value: Double, timestamp: Date = Date()) {
        self.key = key
        self.step = step
        self.value = value
        self.timestamp = timestamp
    }
}

/// A metric's value at a step (NaN and ±Inf come back as stored).
public struct MetricPointRecord: Sendable, Equatable {
    public var step: Int
    public var value: Double
    public var timestamp: Date
}

/// A file produced by a run.
public struct ArtifactRecord: Sendable, Equatable {
    public var kind: String
    public var path: String
    public var sha256: String?
    public var bytes: Int?
    public var createdAt: Date
}

/// One number of an evaluation: `metric` of `score` on `dataset` (e.g. auroc of energy on mnist-5k).
public struct EvaluationRecord: Sendable, Equatable {
    public var dataset: String
    public var score: String
    public var metric: String
    public var value: Double
    /// Settings as JSON text (bins, thresholds, conventions, the counts behind the value).
    public var settings: String?
    /// The measurement the value belongs to (set when read from the store).
    public var measurementID: Int?

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
    public var dataset: String
    public var index: Int
    public var label: Int?
    public var prediction: Int?
    public var confidence: Double?
    public var score: String
    public var value: Double
    /// The measurement the score belongs to (set when read from the store).
    public var measurementID: Int?

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
