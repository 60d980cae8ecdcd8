import Testing

@testable import Evaluation

@Suite struct ScoreThresholdTests {
    @Test func keepsAtLeastTheRequestedShare() throws {
        // Scores 1…20: keeping 95% = 19 of 20 needs t = 2; 50% = 10 → t = 11; 100% → t = 1.
        let scores = (1...20).map(Double.init).shuffled()
        #expect(ScoreThreshold.fit(inDistribution: scores, truePositiveRate: 0.95) == 2)
        #expect(ScoreThreshold.fit(inDistribution: scores, truePositiveRate: 0.5) == 11)
        #expect(ScoreThreshold.fit(inDistribution: scores, truePositiveRate: 1) == 1)
        // 0.951 of 20 = 19.02 → 20 kept: t = 1.
        #expect(ScoreThreshold.fit(inDistribution: scores, truePositiveRate: 0.951) == 1)
        // 0.9 · 70 = 63 exactly (63.000…01 in floating point): the 63rd largest of 1…70 is 8.
        #expect(ScoreThreshold.fit(inDistribution: (1...70).map(Double.init), truePositiveRate: 0.9) == 8)
        // Ties: [5, 5, 5, 1] at 50% → t = 5 keeps 3 of 4.
        #expect(ScoreThreshold.fit(inDistribution: [5, 1, 5, 5], truePositiveRate: 0.5) == 5)
        #expect(ScoreThreshold.fit(inDistribution: [.nan], truePositiveRate: 0.5) == nil)
        let threshold = try #require(ScoreThreshold.fit(inDistribution: [3, .nan, 2], truePositiveRate: 0.5))
        #expect(threshold == 3)
    }
}
