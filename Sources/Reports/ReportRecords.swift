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
    /// sets; nil for the in-distribution set.
    public var group: String?

    /// Creates an evaluation.
    public init(dataset: String, score: String, metric: String, value: Double, group: String? = nil) {
        self.dataset = dataset
        self.score = score
        self.metric = metric
        self.value = value
        self.group = group
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
