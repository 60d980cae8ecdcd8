/// The confusion counts of the rule "score ≥ t ⇒ positive" at every distinct score t,
/// from the highest down: one O(n log n) sort serves AUROC, average precision, FPR at
/// 95% TPR and the detection error.
struct ThresholdSweep {
    /// The counts at one threshold.
    struct Point {
        /// The threshold t, one of the scores.
        var threshold: Double
        /// The number of positive scores ≥ t.
        var truePositives: Int
        /// The number of negative scores ≥ t.
        var falsePositives: Int
    }

    /// One point per distinct score, thresholds strictly decreasing; tied scores share
    /// one point, whichever set they come from.
    let points: [Point]
    /// The number of positive scores P.
    let positives: Int
    /// The number of negative scores N.
    let negatives: Int

    /// The sweep over `positive` and `negative` scores, which must be finite.
    init(positive: [Double], negative: [Double]) {
        let labelled = positive.map { ($0, true) } + negative.map { ($0, false) }
        let sorted = labelled.sorted { $0.0 > $1.0 }
        var points: [Point] = []
        var truePositives = 0
        var falsePositives = 0
        var index = 0
        while index < sorted.count {
            let threshold = sorted[index].0
            // Every score equal to the threshold is counted before the point is recorded,
            // so a tie is one threshold, not an arbitrary order of samples.
            while index < sorted.count && sorted[index].0 == threshold {
                if sorted[index].1 { truePositives += 1 } else { falsePositives += 1 }
                index += 1
            }
            points.append(
                Point(
                    threshold: threshold, truePositives: truePositives,
                    falsePositives: falsePositives))
        }
        self.points = points
        positives = positive.count
        negatives = negative.count
    }

    /// P(s₊ > s₋) + ½ P(s₊ = s₋) over all positive–negative pairs: the area under the
    /// ROC curve drawn through every point with straight segments. Each threshold adds its
    /// new negatives times the positives strictly above it, plus half of its new
    /// negatives times its new positives (the tied pairs). Needs P, N > 0.
    var areaUnderROC: Double {
        var pairs = 0.0
        var previous = Point(threshold: .infinity, truePositives: 0, falsePositives: 0)
        for point in points {
            let newPositives = Double(point.truePositives - previous.truePositives)
            let newNegatives = Double(point.falsePositives - previous.falsePositives)
            pairs += newNegatives * (Double(previous.truePositives) + 0.5 * newPositives)
            previous = point
        }
        return pairs / (Double(positives) * Double(negatives))
    }

    /// Σ_n (R_n − R_{n−1}) · P_n over the thresholds in decreasing order with R₀ = 0, where
    /// R_n = TP/P is the recall and P_n = TP/(TP + FP) the precision at threshold n; no
    /// interpolation, as scikit-learn's `average_precision_score`. Needs P > 0.
    var averagePrecision: Double {
        var sum = 0.0
        var previousTruePositives = 0
        for point in points where point.truePositives > previousTruePositives {
            let recallStep = Double(point.truePositives - previousTruePositives) / Double(positives)
            let precision =
                Double(point.truePositives)
                / Double(point.truePositives + point.falsePositives)
            sum += recallStep * precision
            previousTruePositives = point.truePositives
        }
        return sum
    }
}
