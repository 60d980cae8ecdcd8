import Foundation

/// The two findings a reader of an evaluation must not miss: a score that ranks
/// out-of-distribution inputs as *more* in-distribution than the data (its stated direction
/// is wrong for this model), and a calibrator that made calibration worse.
public enum MeasurementWarnings {
    /// Whether an AUROC lies clearly below chance: below 0.5 by more than 0.05 and by more
    /// than three standard errors of the AUROC of a useless score on these counts
    /// (√((n_in + n_out + 1) / (12 n_in n_out)), Hanley & McNeil 1982), so small sets do not
    /// raise it by luck.
    public static func isInverted(auroc: Double, inCount: Int, outCount: Int) -> Bool {
        guard auroc.isFinite, inCount > 0, outCount > 0 else { return false }
        let n1 = Double(inCount)
        let n2 = Double(outCount)
        let chanceError = ((n1 + n2 + 1) / (12 * n1 * n2)).squareRoot()
        return auroc < 0.5 - max(0.05, 3 * chanceError)
    }

    /// The sentence for a score inverted on one set.
    public static func inverted(score: String, dataset: String, inDataset: String, auroc: Double) -> String {
        String(
            format:
                "inverted score: %@ ranks %@ as more in-distribution than %@ (AUROC %.4f); its stated direction is wrong "
                + "for this model, and its negation would reach %.4f", score, dataset, inDataset, auroc, 1 - auroc)
    }

    /// One sentence per score for the sets it is inverted on, in the order given.
    public static func inverted(_ findings: [(score: String, dataset: String, auroc: Double)], inDataset: String)
        -> [String]
    {
        var order: [String] = []
        var sets: [String: [(dataset: String, auroc: Double)]] = [:]
        for finding in findings {
            if sets[finding.score] == nil { order.append(finding.score) }
            sets[finding.score, default: []].append((finding.dataset, finding.auroc))
        }
        return order.map { score in
            let found = sets[score] ?? []
            guard found.count > 1 else {
                return inverted(score: score, dataset: found[0].dataset, inDataset: inDataset, auroc: found[0].auroc)
            }
            let list = found.map { String(format: "%@ %.4f", $0.dataset, $0.auroc) }.joined(separator: ", ")
            let best = found.map { 1 - $0.auroc }
            return String(
                format:
                    "inverted score: %@ ranks %d OOD sets as more in-distribution than %@ (AUROC %@); its stated direction "
                    + "is wrong for this model, and its negation would reach %.4f–%.4f", score, found.count, inDataset,
                list,
                best.min() ?? 0, best.max() ?? 0)
        }
    }

    /// The sentences for a calibrator that made a measure worse: ECE or NLL higher after it
    /// than before (the measures where lower is better and a calibrator aims to lower).
    public static func worseAfterCalibration(
        calibrator: String, dataset: String, before: [String: Double],
        after: [String: Double]
    ) -> [String] {
        ["ece", "nll"].compactMap { metric in
            guard let b = before[metric], let a = after[metric], a.isFinite, b.isFinite, a > b else { return nil }
            return String(
                format: "calibration made %@ worse: %@ on %@ went %.4f → %.4f with %@", metric.uppercased(), metric,
                dataset, b, a, calibrator)
        }
    }
}
