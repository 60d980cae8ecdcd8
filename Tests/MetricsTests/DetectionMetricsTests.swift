import TestSupport
import Testing

@testable import Metrics

@Suite("FPR at 95% TPR, detection error and degenerate inputs")
struct DetectionMetricsTests {
    /// in = 1, 2, …, 20: k = ⌈0.95·20⌉ = 19, so t = the 19th largest = 2 (TPR(2) = 19/20
    /// = 0.95 ≥ 0.95, while TPR(3) = 18/20 = 0.9 falls short). out has 2, 2 (ties at t
    /// count as accepted), 5, 10, 21 at or above 2 among 10 scores: FPR95 = 5/10 = 0.5.
    @Test func fpr95TakesTheLargestThresholdReachingTheRate() throws {
        let inScores = (1...20).map(Double.init)
        let outScores: [Double] = [0, 1, 2, 2, 5, 10, 21, 1.5, 0.5, -3]
        let metrics = try DetectionMetrics.compute(inDistribution: inScores, outOfDistribution: outScores)
        #expect(metrics.fpr95 == 0.5)
    }

    /// in = 17 × 10 and 3 × 1: TPR(10) = 17/20 = 0.85 < 0.95, so t = 1 with TPR 1; out =
    /// [0, 1, 1, 5]: three of four ≥ 1, FPR95 = 0.75. With 10 in scores ⌈0.95·10⌉ = 10,
    /// so t is the smallest in score: in = 1…10, out = [0.5, 1, 3]: FPR95 = 2/3.
    @Test func fpr95WithTiesAtTheThreshold() throws {
        let tied = [Double](repeating: 10, count: 17) + [1, 1, 1]
        #expect(try DetectionMetrics.compute(inDistribution: tied, outOfDistribution: [0, 1, 1, 5]).fpr95 == 0.75)
        let ten = (1...10).map(Double.init)
        #expect(
            isClose(
                try DetectionMetrics.compute(inDistribution: ten, outOfDistribution: [0.5, 1, 3]).fpr95,
                2.0 / 3))
    }

    /// The same rule by brute force: try every in score t, keep the largest with
    /// count(in ≥ t) ≥ 0.95·n, and count out ≥ t; and the detection error over every
    /// score and ±∞.
    @Test func fpr95AndDetectionErrorMatchBruteForce() throws {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<20 {
            let inScores = (0..<(20 + trial * 7)).map { _ in
                max(generator.nextTiedScore(levels: 15), generator.nextTiedScore(levels: 15))
            }
            let outScores = (0..<(90 - trial * 2)).map { _ in generator.nextTiedScore(levels: 15) }
            let metrics = try DetectionMetrics.compute(inDistribution: inScores, outOfDistribution: outScores)
            let n = Double(inScores.count)
            let m = Double(outScores.count)
            func tpr(_ t: Double) -> Double { Double(inScores.filter { $0 >= t }.count) / n }
            func fpr(_ t: Double) -> Double { Double(outScores.filter { $0 >= t }.count) / m }
            let threshold = inScores.filter { tpr($0) >= 0.95 }.max() ?? -.infinity
            #expect(metrics.fpr95 == fpr(threshold), "trial \(trial)")
            let thresholds = inScores + outScores + [.infinity, -.infinity]
            let error = thresholds.map { 0.5 * (1 - tpr($0)) + 0.5 * fpr($0) }.min() ?? .nan
            #expect(isClose(metrics.detectionError, error, tolerance: 1e-15), "trial \(trial)")
        }
    }

    /// in = [0.9, 0.8, 0.8, 0.3], out = [0.8, 0.5, 0.2]; ½(1 − TPR) + ½ FPR at
    /// t = 0.9: ½·¾ + 0 = 0.375; t = 0.8: ½·¼ + ½·⅓ = 7/24 = 0.291667; t = 0.5: ½·¼ + ½·⅔
    /// = 0.458333; t = 0.3: 0 + ½·⅔ = 0.333333; t = 0.2: ½; t = ±∞: ½. Minimum 7/24.
    /// FPR95: ⌈0.95·4⌉ = 4, t = 0.3, FPR = 2/3.
    @Test func detectionErrorHandExample() throws {
        let metrics = try DetectionMetrics.compute(
            inDistribution: [0.9, 0.8, 0.8, 0.3],
            outOfDistribution: [0.8, 0.5, 0.2])
        #expect(isClose(metrics.detectionError, 7.0 / 24))
        #expect(isClose(metrics.fpr95, 2.0 / 3))
        #expect(metrics.inCount == 4 && metrics.outCount == 3)
    }

    /// A useless (reversed) score still has error ½ (accept everything or nothing).
    @Test func detectionErrorIsAtMostOneHalf() throws {
        #expect(try DetectionMetrics.compute(inDistribution: [0], outOfDistribution: [1]).detectionError == 0.5)
    }

    @Test func emptySetsAndNonFiniteScoresThrow() {
        #expect(throws: MetricsError.empty(values: "in-distribution scores")) {
            try DetectionMetrics.compute(inDistribution: [], outOfDistribution: [1])
        }
        #expect(throws: MetricsError.empty(values: "out-of-distribution scores")) {
            try DetectionMetrics.compute(inDistribution: [1], outOfDistribution: [])
        }
        #expect(throws: MetricsError.nonFinite(values: "in-distribution scores", index: 2)) {
            try DetectionMetrics.compute(inDistribution: [1, 2, .nan], outOfDistribution: [1])
        }
        #expect(throws: MetricsError.nonFinite(values: "out-of-distribution scores", index: 0)) {
            try DetectionMetrics.compute(inDistribution: [1], outOfDistribution: [.infinity])
        }
    }

    /// One score each: in 2 > out 1 separates perfectly; equal scores are a coin flip.
    @Test func singleElementSets() throws {
        let separated = try DetectionMetrics.compute(inDistribution: [2], outOfDistribution: [1])
        #expect(
            separated
                == DetectionMetrics(
                    auroc: 1, auprIn: 1, auprOut: 1, fpr95: 0,
                    detectionError: 0, inCount: 1, outCount: 1))
        let tied = try DetectionMetrics.compute(inDistribution: [1], outOfDistribution: [1])
        #expect(tied.auroc == 0.5 && tied.fpr95 == 1 && tied.detectionError == 0.5)
        #expect(tied.auprIn == 0.5 && tied.auprOut == 0.5)
    }

    @Test func conventionsStateTheRules() {
        let text = DetectionMetrics.conventions
        for phrase in [
            "higher score means more in-distribution", "positive class", "0.95",
            "average_precision_score", "0.5 P(s_in = s_out)",
        ] {
            #expect(text.contains(phrase), "\(phrase)")
        }
        #expect(!text.contains("\n"))
    }
}
