import Foundation

/// One logged value of a metric.
public struct MetricPoint: Sendable, Equatable {
    /// The optimiser step at which the value was logged.
    public var step: Int
    /// The value; NaN and ±∞ break the chart's line instead of being drawn.
    public var value: Double

    /// Creates a point.
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// One score of a run on a held-out dataset, e.g. the AUROC of the max-softmax score on
/// SVHN.
public struct ReportEvaluation: Sendable {
    /// The dataset evaluated on, e.g. `fashion-mnist-test` or `svhn`.
    public var dataset: String
    /// The score used, e.g. `max-softmax` or `energy`.
    public var score: String
    /// The metric computed from the score, e.g. `accuracy` or `auroc`.
    public var metric: String
    /// The metric's value.
    public var value: Double
    /// How far the dataset lies from the training data: `near`, `far` or `user` for OOD
    /// sets, `in-distribution` for the run's own test set (as evaluate and calibrate write it);
    /// nil for values recorded before groups were kept.
    public var group: String?
    /// The images the value was measured on: the in-distribution set's count, and for an
    /// OOD value the OOD set's.
    public var inCount: Int?
    /// The OOD set's count, for an OOD value; nil for an in-distribution value or when not recorded.
    public var outCount: Int?
    /// Where it was measured: the measurement's id, the checkpoint file's name
    /// (`best.safetensors`) and the training step its weights are from.
    public var measurement: Int?
    /// The checkpoint file's name, e.g. `best.safetensors`; nil when not recorded.
    public var checkpoint: String?
    /// The training step the checkpoint's weights are from; nil when unknown.
    public var checkpointStep: Int?

    /// Creates an evaluation.
    public init(
        dataset: String, score: String, metric: String, value: Double, group: String? = nil, inCount: Int? = nil,
        outCount: Int? = nil, measurement: Int? = nil, checkpoint: String? = nil, checkpointStep: Int? = nil
    ) {
        self.dataset = dataset
        self.score = score
        self.metric = metric
        self.value = value
        self.group = group
        self.inCount = inCount
        self.outCount = outCount
        self.measurement = measurement
        self.checkpoint = checkpoint
        self.checkpointStep = checkpointStep
    }

    /// "n 10,000 · best@860": the counts and the checkpoint, compactly; empty when unknown.
    var provenance: String {
        var parts: [String] = []
        switch (inCount, outCount) {
        case (let n?, let out?): parts.append("n \(NumberFormat.count(n))/\(NumberFormat.count(out))")
        case (let n?, nil): parts.append("n \(NumberFormat.count(n))")
        default: break
        }
        if let checkpoint {
            let stem = (checkpoint as NSString).deletingPathExtension
            parts.append(checkpointStep.map { "\(stem)@\($0)" } ?? stem)
        }
        return parts.joined(separator: " · ")
    }
}

/// One `joule evaluate` or `joule calibrate` of a run, for the report's list of measurements.
public struct ReportMeasurement: Sendable {
    /// The measurement's id in the run store; a higher id is a newer measurement.
    public var id: Int
    /// `evaluation` or `calibration`.
    public var kind: String
    /// When the measurement was recorded.
    public var createdAt: Date
    /// "best.safetensors @ step 860".
    public var checkpoint: String
    /// The calibrator applied (evaluation) or fitted (calibration), when there was one.
    public var calibrator: String?
    /// The in-distribution set measured, e.g. `test`; nil when not recorded.
    public var inDataset: String?
    /// How many of its images were measured; nil when not recorded.
    public var inCount: Int?
    /// Rebuilt from a store written before measurements were kept apart.
    public var migrated: Bool

    /// Creates a measurement.
    public init(
        id: Int, kind: String, createdAt: Date, checkpoint: String, calibrator: String? = nil, inDataset: String? = nil,
        inCount: Int? = nil, migrated: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.checkpoint = checkpoint
        self.calibrator = calibrator
        self.inDataset = inDataset
        self.inCount = inCount
        self.migrated = migrated
    }
}

/// A PNG image to embed in the report, e.g. a grid of samples.
public struct ReportImage: Sendable {
    /// The caption, also used as the image's alternative text.
    public var title: String
    /// The PNG file's bytes; embedded as a `data:` URL so the report stays one file.
    public var pngData: Data

    /// Creates an image.
    public init(title: String, pngData: Data) {
        self.title = title
        self.pngData = pngData
    }
}
