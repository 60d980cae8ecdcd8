import TestSupport
import Testing

@testable import Metrics

@Suite("AUPR-in and AUPR-out")
struct AveragePrecisionTests {
    /// scikit-learn's definition, directly: for every distinct score t in decreasing
    /// order, count by a full scan the positives and negatives ≥ t, and add
    /// (R_n − R_{n−1})·P_n.
    private func bruteForceAveragePrecision(positive: [Double], negative: [Double]) -> Double {
        let thresholds = Set(positive + negative).sorted(by: >)
        var sum = 0.0
        var previousRecall = 0.0
        for t in thresholds {
            let truePositives = Double(positive.filter { $0 >= t }.count)
            let falsePositives = Double(negative.filter { $0 >= t }.count)
            let recall = truePositives / Double(positive.count)
            sum += (recall - previousRecall) * truePositives / (truePositives + falsePositives)
            previousRecall = recall
        }
        return sum
    }

    /// in = [0.9, 0.8, 0.8, 0.3], out = [0.8, 0.5, 0.2] (average_precision_score with
    /// y = [1,1,1,1,0,0,0], s = [0.9,0.8,0.8,0.3,0.8,0.5,0.2]). In positive, thresholds
    /// down: 0.9 → TP 1, FP 0 (R ¼, P 1); 0.8 (three tied) → TP 3, FP 1 (R ¾, P ¾);
    /// 0.5 → R unchanged; 0.3 → TP 4, FP 2 (R 1, P ⅔); 0.2 → R unchanged.
    /// AUPR-in = ¼·1 + ½·¾ + ¼·⅔ = 0.25 + 0.375 + 0.1667 = 19/24 = 0.791667.
    /// Out positive on −score: −0.2 → TP 1, FP 0 (R ⅓, P 1); −0.3 → TP 1, FP 1 (R unchanged);
    /// −0.5 → TP 2, FP 1 (R ⅔, P ⅔); −0.8 (tied) → TP 3, FP 3 (R 1, P ½); −0.9 → R unchanged.
    /// AUPR-out = ⅓·1 + ⅓·⅔ + ⅓·½ = (6 + 4 + 3)/18 = 13/18 = 0.722222.
    @Test func handExampleWithTies() throws {
        let metrics = try DetectionMetrics.compute(
            inDistribution: [0.9, 0.8, 0.8, 0.3],
            outOfDistribution: [0.8, 0.5, 0.2])
        #expect(isClose(metrics.auprIn, 19.0 / 24))
        #expect(isClose(metrics.auprOut, 13.0 / 18))
    }

    /// Perfect separation gives 1 both ways; all tied gives the base rate of the positive
    /// class (one threshold: R 1, P = positives / all).
    @Test func perfectAndTied() throws {
        let perfect = try DetectionMetrics.compute(inDistribution: [2, 3], outOfDistribution: [0, 1, 1])
        #expect(perfect.auprIn == 1 && perfect.auprOut == 1)
        let tied = try DetectionMetrics.compute(inDistribution: [1, 1], outOfDistribution: [1, 1, 1])
        #expect(isClose(tied.auprIn, 2.0 / 5) && isClose(tied.auprOut, 3.0 / 5))
    }

    @Test func matchesBruteForceOnRandomTiedScores() throws {
        var generator = SplitMix64(seed: 7)
        for trial in 0..<20 {
            let inScores = (0..<(50 + trial * 5)).map { _ in
                max(generator.nextTiedScore(levels: 12), generator.nextTiedScore(levels: 12))
            }
            let outScores = (0..<(120 - trial * 3)).map { _ in generator.nextTiedScore(levels: 12) }
            let metrics = try DetectionMetrics.compute(inDistribution: inScores, outOfDistribution: outScores)
            let expectedIn = bruteForceAveragePrecision(positive: inScores, negative: outScores)
            let expectedOut = bruteForceAveragePrecision(
                positive: outScores.map { -$0 },
                negative: inScores.map { -$0 })
            #expect(isClose(metrics.auprIn, expectedIn, tolerance: 1e-13), "trial \(trial)")
            #expect(isClose(metrics.auprOut, expectedOut, tolerance: 1e-13), "trial \(trial)")
        }
    }
}
