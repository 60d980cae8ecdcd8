/// The index of the largest element of `row`, the lowest such index on a tie; `row` must
/// be non-empty and free of NaN.
func argmax(_ row: [Double]) -> Int {
    var best = 0
    for index in row.indices.dropFirst() where row[index] > row[best] {
        best = index
    }
    return best
}

/// `probabilities` with the predicted class (its argmax) given probability `confidence`
/// and the other classes sharing 1 − confidence in proportion to their original
/// probabilities: q_j = (1 − c) · p_j / Σ_{i≠k} p_i for j ≠ k. When the others all have
/// probability 0 they share 1 − c equally; a single class keeps probability 1. Rows keep
/// summing to 1.
///
/// Calibration must not change the prediction, so c is first raised, when needed, to the
/// smallest value that keeps the predicted class on top: with m = max_{j≠k} p_j / Σ_{i≠k} p_i
/// the largest other share is (1 − c)·m, which stays ≤ c for c ≥ m / (1 + m).
///
/// A row holding NaN, or a NaN `confidence`, gives a row of NaN.
func redistributing(_ probabilities: [Double], confidence: Double) -> [Double] {
    guard !confidence.isNaN, !probabilities.contains(where: \.isNaN) else {
        return [Double](repeating: .nan, count: probabilities.count)
    }
    guard probabilities.count > 1 else { return [1] }
    let predicted = argmax(probabilities)
    // Summing the others directly, not as 1 − p_k, keeps their shares accurate when p_k
    // is close to 1.
    var others = 0.0
    for (index, p) in probabilities.enumerated() where index != predicted { others += p }
    var largestOther = 0.0
    for (index, p) in probabilities.enumerated() where index != predicted { largestOther = max(largestOther, p) }
    let m = others > 0 ? largestOther / others : 1 / Double(probabilities.count - 1)
    let kept = max(confidence, m / (1 + m))
    let rest = 1 - kept
    let equalShare = rest / Double(probabilities.count - 1)
    return probabilities.enumerated().map { index, p in
        if index == predicted { return kept }
        return others > 0 ? rest * (p / others) : equalShare
    }
}

/// The top-label confidence max_k softmax(z)_k of each row of `logits` and whether its
/// argmax is the label: what the top-label calibrators fit on.
///
/// Throws `MetricsError` when there are no rows or a logit is NaN or infinite; mismatched
/// counts, ragged rows and labels outside 0..<K are preconditions.
func topLabelOutcomes(logits: [[Double]], labels: [Int]) throws -> (confidences: [Double], correct: [Bool]) {
    try requireRows(logits, named: "logits", unitInterval: false)
    requireLabelled(logits, labels: labels, rowName: "logits")
    var confidences: [Double] = []
    var correct: [Bool] = []
    confidences.reserveCapacity(logits.count)
    correct.reserveCapacity(logits.count)
    for (row, label) in zip(logits, labels) {
        let probabilities = softmax(row)
        let predicted = argmax(probabilities)
        confidences.append(probabilities[predicted])
        correct.append(predicted == label)
    }
    return (confidences, correct)
}

/// A calibrator of the top-label confidence (histogram binning, isotonic regression): it
/// maps the predicted class's probability and lets the other classes share the rest.
public protocol TopLabelCalibrator {
    /// The calibrated confidence for a top-label confidence in [0, 1].
    func calibratedConfidence(_ confidence: Double) -> Double
}

extension TopLabelCalibrator {
    /// Calibrated probabilities for each row of `logits`: softmax, then the top label's
    /// probability replaced by its calibrated confidence and the rest rescaled to share
    /// the remainder. A row holding NaN or +∞, or only −∞, gives a row of NaN.
    public func calibrated(logits: [[Double]]) -> [[Double]] {
        logits.map { row in
            let probabilities = softmax(row)
            guard let top = probabilities.max() else { return [] }
            return redistributing(probabilities, confidence: calibratedConfidence(top))
        }
    }
}
