/// The in/out decision threshold of a score, fitted on in-distribution (validation) scores
/// for a chosen true-positive rate.
public enum ScoreThreshold {
    /// The largest threshold t with at least `truePositiveRate` of `inDistribution` ≥ t (the
    /// same rule as FPR at 95% TPR): inputs scoring ≥ t are called in-distribution, so about
    /// that share of in-distribution inputs is kept. Nil when there are no finite scores.
    public static func fit(inDistribution: [Double], truePositiveRate: Double) -> Double? {
        precondition(
            truePositiveRate > 0 && truePositiveRate <= 1, "ScoreThreshold: rate \(truePositiveRate) outside (0, 1]")
        let sorted = inDistribution.filter(\.isFinite).sorted(by: >)
        guard !sorted.isEmpty else { return nil }
        // The k-th largest score keeps at least k of n; the smallest such k is ⌈rate · n⌉.
        // Rounding must not add one: 0.9 · 70 is 63.000…01 in floating point, and k = 63.
        let exact = truePositiveRate * Double(sorted.count)
        var k = Int(exact.rounded(.up))
        if k > 1, Double(k - 1) >= exact - 1e-9 * Double(sorted.count) { k -= 1 }
        return sorted[max(min(k, sorted.count), 1) - 1]
    }
}
