/// How a conformal predictor did on a labelled set: the share of labels its sets hold
/// (empirical coverage) against the target, and how large the sets were.
public struct ConformalMeasure: Codable, Sendable, Equatable {
    /// `lac`, `aps` or `raps`.
    public var method: String
    /// The coverage the predictor was fitted for, 1 − α.
    public var targetCoverage: Double
    /// The share of examples whose set holds their label.
    public var coverage: Double
    /// The mean set size.
    public var meanSize: Double
    /// How many sets had each size, from 0 to the number of classes.
    public var sizeCounts: [Int]
    /// Examples measured.
    public var count: Int
    /// Examples the threshold was fitted on.
    public var calibrationCount: Int
    /// The fitted threshold q̂.
    public var threshold: Double

    enum CodingKeys: String, CodingKey {
        case method, coverage, count, threshold
        case targetCoverage = "target_coverage"
        case meanSize = "mean_size"
        case sizeCounts = "size_counts"
        case calibrationCount = "calibration_count"
    }

    /// Measures `predictor` on `probabilities` (rows) with their `labels`.
    public init(_ predictor: ConformalPredictor, probabilities: [[Double]], labels: [Int]) {
        precondition(probabilities.count == labels.count, "ConformalMeasure: rows and labels differ in number")
        let classes = probabilities.first?.count ?? 0
        var counts = [Int](repeating: 0, count: classes + 1)
        var covered = 0
        for (row, label) in zip(probabilities, labels) {
            let set = predictor.predictionSet(row)
            counts[min(set.count, classes)] += 1
            if set.contains(label) { covered += 1 }
        }
        let n = max(labels.count, 1)
        method = predictor.method.rawValue
        targetCoverage = predictor.coverage
        coverage = Double(covered) / Double(n)
        meanSize = Double(counts.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(n)
        sizeCounts = counts
        count = labels.count
        calibrationCount = predictor.count
        // JSON has no infinity: a predictor that takes every label stores its threshold as the largest number.
        threshold = predictor.threshold.isFinite ? predictor.threshold : .greatestFiniteMagnitude
    }
}
