/// How well a score separates in-distribution samples from out-of-distribution ones.
///
/// Convention: a higher score means more in-distribution, and in-distribution samples
/// are the positive class. A threshold t declares "in-distribution" when score ≥ t, so
/// TPR(t) is the fraction of in-distribution scores ≥ t and FPR(t) the fraction of
/// out-of-distribution scores ≥ t. `conventions` states this in one paragraph for reports.
public struct DetectionMetrics: Codable, Sendable, Equatable {
    /// P(s_in > s_out) + ½ P(s_in = s_out) over all in/out pairs (the Mann–Whitney
    /// statistic): 1 for perfect separation, 0.5 for chance, 0 when reversed.
    public var auroc: Double
    /// Average precision with in-distribution positive, thresholds on the score.
    public var auprIn: Double
    /// Average precision with out-of-distribution positive, thresholds on −score.
    public var auprOut: Double
    /// FPR(t*) where t* is the largest in-distribution score with TPR(t*) ≥ 0.95.
    public var fpr95: Double
    /// min over all thresholds t, ±∞ included, of ½(1 − TPR(t)) + ½ FPR(t).
    public var detectionError: Double
    /// The number of in-distribution scores.
    public var inCount: Int
    /// The number of out-of-distribution scores.
    public var outCount: Int

    /// The metrics from their values, for decoding or tests.
    public init(
        auroc: Double, auprIn: Double, auprOut: Double, fpr95: Double,
        detectionError: Double, inCount: Int, outCount: Int
    ) {
        self.auroc = auroc
        self.auprIn = auprIn
        self.auprOut = auprOut
        self.fpr95 = fpr95
        self.detectionError = detectionError
        self.inCount = inCount
        self.outCount = outCount
    }

    /// The conventions behind these metrics, in one paragraph of plain text for reports.
    public static let conventions = """
        OOD detection: a higher score means more in-distribution, and in-distribution \
        samples are the positive class; a threshold t accepts a sample as in-distribution \
        when its score is >= t, so TPR(t) is the fraction of in-distribution scores >= t and \
        FPR(t) the fraction of out-of-distribution scores >= t. AUROC is exact: \
        P(s_in > s_out) + 0.5 P(s_in = s_out) over all pairs. AUPR-in is the average \
        precision with in-distribution positive and AUPR-out with out-of-distribution \
        positive and scores negated, both computed as scikit-learn's \
        average_precision_score: sum over distinct thresholds, in decreasing order with \
        tied scores forming one threshold, of (R_n - R_(n-1)) P_n, without interpolation. \
        FPR95 is FPR(t) at the largest in-distribution score t with TPR(t) >= 0.95. \
        Detection error is the minimum over all thresholds, +-infinity included, of \
        0.5 (1 - TPR) + 0.5 FPR.
        """

    /// The metrics of the scores of in-distribution samples against those of
    /// out-of-distribution samples (higher = more in-distribution).
    ///
    /// Runs in O(n log n) for n scores in all. Throws `MetricsError` when either set is
    /// empty or holds a NaN or infinite score, naming the set and the index.
    public static func compute(inDistribution: [Double], outOfDistribution: [Double]) throws -> DetectionMetrics {
        try requireFinite(inDistribution, named: "in-distribution scores")
        try requireFinite(outOfDistribution, named: "out-of-distribution scores")
        let sweep = ThresholdSweep(positive: inDistribution, negative: outOfDistribution)
        let reversed = ThresholdSweep(
            positive: outOfDistribution.map { -$0 },
            negative: inDistribution.map { -$0 })
        return DetectionMetrics(
            auroc: sweep.areaUnderROC, auprIn: sweep.averagePrecision,
            auprOut: reversed.averagePrecision, fpr95: falsePositiveRate(sweep, atTruePositiveRate: 95),
            detectionError: detectionError(sweep),
            inCount: inDistribution.count, outCount: outOfDistribution.count)
    }

    /// FPR(t) at the largest threshold t with TPR(t) ≥ `percent`/100. The first point of
    /// the sweep (from the top) reaching that TPR has just gained a positive, so its
    /// threshold is a positive score, as the rule requires.
    static func falsePositiveRate(_ sweep: ThresholdSweep, atTruePositiveRate percent: Int) -> Double {
        // Comparing 100·TP with percent·P in integers avoids 0.95·P rounding just below
        // a whole number and moving the threshold by one sample.
        let point = sweep.points.first { 100 * $0.truePositives >= percent * sweep.positives }
        return Double(point?.falsePositives ?? sweep.negatives) / Double(sweep.negatives)
    }

    /// min over t of ½(1 − TPR(t)) + ½ FPR(t). A threshold strictly between two adjacent
    /// scores accepts what the higher one accepts, and one above every score or below every
    /// score gives ½, so the sweep's points and ½ cover every threshold.
    static func detectionError(_ sweep: ThresholdSweep) -> Double {
        var best = 0.5
        for point in sweep.points {
            let missed = 1 - Double(point.truePositives) / Double(sweep.positives)
            let falseAlarms = Double(point.falsePositives) / Double(sweep.negatives)
            best = min(best, 0.5 * missed + 0.5 * falseAlarms)
        }
        return best
    }
}
