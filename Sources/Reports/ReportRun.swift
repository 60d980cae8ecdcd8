import Foundation

/// One training run as the report sees it: plain values, so the caller can map any run
/// store (the SQLite one, a directory of JSON files, a test fixture) into it.
public struct ReportRun: Sendable {
    /// The run's unique id, e.g. `20261129-191500-cnn-s-7f3a`.
    public var id: String
    /// A human-readable name; the report's legends and column headers use it.
    public var name: String
    /// `RUNNING`, `FINISHED`, `FAILED`, `KILLED` or `INTERRUPTED`; other values are shown
    /// as they are.
    public var status: String
    /// Why the run ended the way it did (an error message, a signal), when known.
    public var statusReason: String?
    /// The experiment the run belongs to.
    public var experiment: String?
    /// When the run started.
    public var startTime: Date
    /// When the run ended; `nil` while it runs or when it died without saying so.
    public var endTime: Date?
    /// The random seed.
    public var seed: Int?
    /// The training objective, e.g. `ce` or `jem`.
    public var objective: String?
    /// The model, e.g. `cnn-s`.
    public var model: String?
    /// The dataset, e.g. `fashion-mnist`.
    public var dataset: String?
    /// The code version (a commit hash) that produced the run.
    public var codeVersion: String?
    /// The flattened resolved configuration, e.g. `"optimizer.lr": "0.001"`.
    public var config: [String: String]
    /// Parameters logged beside the configuration; the configuration wins where both
    /// name the same key.
    public var params: [String: String]
    /// Free-form tags.
    public var tags: [String: String]
    /// The last value of each metric; NaN and ±∞ are allowed and flagged in the report.
    public var latestMetrics: [String: Double]
    /// Each metric's history, sorted by step.
    public var metricHistory: [String: [MetricPoint]]
    /// Scores on held-out datasets.
    public var evaluations: [ReportEvaluation]
    /// PNG images (samples, confusion matrices) to embed.
    public var images: [ReportImage]
    /// Per-sample evaluation outputs, for reliability diagrams and score histograms.
    public var evaluationSamples: ReportEvaluationSamples?
    /// Every measurement of the run (evaluate, calibrate), oldest first.
    public var measurements: [ReportMeasurement]
    /// The label the report shows (set by `HTMLReport.render` from `displayNames`).
    var label: String = ""

    /// Creates a run; every collection defaults to empty and every optional to `nil`.
    public init(
        id: String,
        name: String,
        status: String,
        statusReason: String? = nil,
        experiment: String? = nil,
        startTime: Date,
        endTime: Date? = nil,
        seed: Int? = nil,
        objective: String? = nil,
        model: String? = nil,
        dataset: String? = nil,
        codeVersion: String? = nil,
        config: [String: String] = [:],
        params: [String: String] = [:],
        tags: [String: String] = [:],
        latestMetrics: [String: Double] = [:],
        metricHistory: [String: [MetricPoint]] = [:],
        evaluations: [ReportEvaluation] = [],
        images: [ReportImage] = [],
        evaluationSamples: ReportEvaluationSamples? = nil,
        measurements: [ReportMeasurement] = []
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.statusReason = statusReason
        self.experiment = experiment
        self.startTime = startTime
        self.endTime = endTime
        self.seed = seed
        self.objective = objective
        self.model = model
        self.dataset = dataset
        self.codeVersion = codeVersion
        self.config = config
        self.params = params
        self.tags = tags
        self.latestMetrics = latestMetrics
        self.metricHistory = metricHistory
        self.evaluations = evaluations
        self.images = images
        self.evaluationSamples = evaluationSamples
        self.measurements = measurements
        label = name
    }
}

extension ReportRun {
    /// Whether the run trained an energy with no classes (score matching, or a learned
    /// sampler on points or an energy-mlp), whose loss is on another scale than a classifier's.
    var isEnergy: Bool {
        ["esm", "ssm", "ssm-vr", "dsm", "mdsm"].contains(objective ?? "") || (dataset ?? "").hasPrefix("toy:")
            || (model ?? "").hasPrefix("energy-mlp")
    }

    /// The configuration and the parameters as one map; the resolved configuration is
    /// the truth, so it wins where a parameter names the same key.
    var settings: [String: String] {
        config.merging(params) { configValue, _ in configValue }
    }
}
