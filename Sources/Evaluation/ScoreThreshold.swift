/// The in/out decision threshold of a score, fitted on in-distribution (validation) scores
/// for a chosen true-positive rate.
public enum ScoreThreshold {
    /// The largest threshold t with at least `truePositiveRate` of `inDistribution` ≥ t (the
    /// same rule as FPR at 95% TPR): inputs scoring ≥ t are called in-distribution, so about
    /// that share of in-distribution inputs is kept. Nil when there are no finite scores.
    public static func fit(inDistribution: [Double], truePositiveRate: Double) -> Double? {
        precondition(truePositiveRate > 0 && truePositiveRate <= 1, "ScoreThreshold: rate \(truePositiveRate) outside (0, 1]")
        let sorted = inDistribution.filter(\.isFinite).sorted(by: >)
        guard !sorted.isEmpty else { return nil }
        // The k-th largest score keeps at least k of n; the smallest such k is ⌈rate · n⌉.
        let k = Int((truePositiveRate * Double(sorted.count)).rounded(.up))
        return sorted[max(min(k, sorted.count), 1) - 1]
    }
}
