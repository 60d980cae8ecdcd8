import TestSupport
import Testing

@testable import Metrics

@Suite("AUROC")
struct AUROCTests {
    private func auroc(_ inDistribution: [Double], _ outOfDistribution: [Double]) throws -> Double {
        try DetectionMetrics.compute(inDistribution: inDistribution, outOfDistribution: outOfDistribution).auroc
    }

    @Test func perfectReversedAndTied() throws {
        #expect(try auroc([3, 4, 5], [0, 1, 2]) == 1)
        #expect(try auroc([0, 1, 2], [3, 4, 5]) == 0)
        #expect(try auroc([0.7, 0.7], [0.7, 0.7, 0.7]) == 0.5)
    }

    /// in = [0.9, 0.8, 0.8, 0.3], out = [0.8, 0.5, 0.2]; 12 pairs:
    /// 0.9 beats all 3 → 3; each 0.8 ties 0.8 (½) and beats 0.5, 0.2 → 2.5, twice → 5;
    /// 0.3 beats 0.2 → 1. AUROC = (3 + 5 + 1)/12 = 9/12 = 0.75.
    @Test func handExampleWithTies() throws {
        #expect(try auroc([0.9, 0.8, 0.8, 0.3], [0.8, 0.5, 0.2]) == 0.75)
    }

    /// ~200 scores on a grid of 20 levels (so many ties) against the O(n²) pair count.
    @Test func matchesPairwiseCountOnRandomTiedScores() throws {
        var generator = SplitMix64(seed: 42)
        for trial in 0..<20 {
            let inCount = 60 + Int(generator.nextUnit() * 80)
            let outCount = 60 + Int(generator.nextUnit() * 80)
            // The larger of two draws, so in-distribution scores run higher but stay on the grid.
            let inScores = (0..<inCount).map { _ in
                max(generator.nextTiedScore(levels: 20), generator.nextTiedScore(levels: 20))
            }
            let outScores = (0..<outCount).map { _ in generator.nextTiedScore(levels: 20) }
            var pairs = 0.0
            for a in inScores {
                for b in outScores { pairs += a > b ? 1 : (a == b ? 0.5 : 0) }
            }
            let expected = pairs / Double(inCount * outCount)
            #expect(isClose(try auroc(inScores, outScores), expected, tolerance: 1e-14), "trial \(trial)")
        }
    }

    /// Negating every score turns AUROC into 1 − AUROC (ties stay half).
    @Test func negatingScoresComplements() throws {
        let inScores = [0.9, 0.8, 0.8, 0.3]
        let outScores = [0.8, 0.5, 0.2]
        let negated = try auroc(inScores.map { -$0 }, outScores.map { -$0 })
        #expect(isClose(negated, 1 - 0.75))
    }
}
