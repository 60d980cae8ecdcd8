import Datasets

/// One dataset's per-sample outputs: logits, class probabilities and predictions (when the
/// model has a classifier head) and each requested OOD score, in the dataset's order.
public struct ScoredSet: Sendable {
    /// The set's name in reports and in the store ("test", "mnist-5k", "uniform", …).
    public var name: String
    /// Each sample's label; −1 when unlabelled (synthetic and user sets).
    public var labels: [Int]
    /// The classifier's logits f(x) per sample; nil for a pure energy model.
    public var logits: [[Double]]?
    /// p(y | x) per sample: softmax of the logits, or a calibrator's output; nil for a pure
    /// energy model.
    public var probabilities: [[Double]]?
    /// Each score's values, one per sample (higher = more in-distribution).
    public var scores: [OODScore: [Double]]
    /// Other per-sample values stored beside the scores, by name: `conformal:METHOD:size` and
    /// `conformal:METHOD:covered` (1 when the set holds the label), so coverage can be recomputed from an export.
    public var sampleValues: [String: [Double]] = [:]

    /// Creates a scored set; `labels`, `logits`, `probabilities` and each score's values hold one entry per sample,
    /// in the dataset's order (not checked).
    public init(
        name: String, labels: [Int], logits: [[Double]]?, probabilities: [[Double]]?, scores: [OODScore: [Double]]
    ) {
        self.name = name
        self.labels = labels
        self.logits = logits
        self.probabilities = probabilities
        self.scores = scores
    }

    /// Number of samples.
    public var count: Int { labels.count }

    /// The arg-max class per sample (ties: the lowest class).
    public var predictions: [Int]? {
        probabilities?.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0 }
    }

    /// The top-class probability per sample.
    public var confidences: [Double]? { probabilities?.map { $0.max() ?? 0 } }
}
