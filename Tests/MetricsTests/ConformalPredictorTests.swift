import Foundation
import TestSupport
import Testing

@testable import Metrics

/// Split-conformal sets: thresholds worked out by hand, and coverage on data whose labels are drawn from the
/// model's own probabilities, refitted over many random partitions of a hold-out.
@Suite struct ConformalPredictorTests {
    static let rows: [[Double]] = [[0.7, 0.2, 0.1], [0.5, 0.4, 0.1], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4]]
    static let labels = [0, 1, 0, 2]

    @Test func lacThresholdIsTheConformalQuantileOfOneMinusTheTrueProbability() throws {
        // Scores 0.3, 0.6, 0.2, 0.6; at 60% coverage k = ⌈5 · 0.6⌉ = 3: q̂ = 0.6, so p ≥ 0.4 is in.
        let lac = try ConformalPredictor.fit(method: .lac, probabilities: Self.rows, labels: Self.labels, coverage: 0.6)
        #expect(abs(lac.threshold - 0.6) < 1e-12 && lac.count == 4)
        #expect(lac.predictionSet([0.5, 0.45, 0.05]) == [0, 1])
        #expect(lac.predictionSet([0.05, 0.15, 0.8]) == [2])
        // At 90%, k = ⌈4.5⌉ = 5 > n: no finite threshold, every label.
        let all = try ConformalPredictor.fit(method: .lac, probabilities: Self.rows, labels: Self.labels, coverage: 0.9)
        #expect(all.threshold == .infinity && all.predictionSet([0.9, 0.05, 0.05]) == [0, 1, 2])
    }

    @Test func apsAndRapsScoresAreTheMassAboveTheLabelPlusItsShare() throws {
        let p = [0.5, 0.3, 0.2]
        let u = ConformalPredictor.tieBreak(p)
        #expect(u >= 0 && u < 1 && u == ConformalPredictor.tieBreak(p))
        let aps = try ConformalPredictor.fit(method: .aps, probabilities: Self.rows, labels: Self.labels, coverage: 0.6)
        #expect(abs(aps.score(p, label: 2) - (0.8 + u * 0.2)) < 1e-12)
        #expect(abs(aps.score(p, label: 0) - u * 0.5) < 1e-12)
        let raps = try ConformalPredictor.fit(
            method: .raps, probabilities: Self.rows, labels: Self.labels, coverage: 0.6, penalty: 0.1, freeRanks: 1)
        // Rank 3 of 3, one free rank: λ · (3 − 1) = 0.2 on top of APS's score.
        #expect(abs(raps.score(p, label: 2) - (0.8 + u * 0.2 + 0.2)) < 1e-12)
        #expect(abs(raps.score(p, label: 0) - u * 0.5) < 1e-12)
        // Sets are the prefix of the ranking whose scores stay under q̂.
        for predictor in [aps, raps] {
            let set = predictor.predictionSet(p)
            #expect(set == Array(ConformalPredictor.ranking(p).prefix(set.count)))
            for label in 0..<3 {
                #expect(set.contains(label) == (predictor.score(p, label: label) <= predictor.threshold))
            }
        }
    }

    @Test func badRequestsAreRefused() {
        #expect(throws: MetricsError.self) {
            try ConformalPredictor.fit(method: .lac, probabilities: Self.rows, labels: Self.labels, coverage: 1)
        }
        #expect(throws: MetricsError.self) {
            try ConformalPredictor.fit(method: .lac, probabilities: [], labels: [], coverage: 0.9)
        }
        #expect(throws: MetricsError.self) {
            try ConformalPredictor.fit(method: .aps, probabilities: Self.rows, labels: [0, 1, 0, 3], coverage: 0.9)
        }
    }

    /// Probability rows over 10 classes (softmax of scaled Gaussian logits) with labels drawn from them: a
    /// calibrated model, so coverage is exact in expectation.
    static func draw(_ count: Int, seed: UInt64) -> (rows: [[Double]], labels: [Int]) {
        var g = SplitMix64(seed: seed)
        var rows: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let scale = 0.5 + 3 * g.nextUnit()
            let logits = (0..<10).map { _ in scale * g.nextGaussian() }
            let m = logits.max() ?? 0
            let e = logits.map { exp($0 - m) }
            let row = e.map { $0 / e.reduce(0, +) }
            rows.append(row)
            labels.append(g.nextCategory(row))
        }
        return (rows, labels)
    }

    /// Exchangeability is what the guarantee rests on: each partition cuts one pool at random into n calibration
    /// examples and the rest as test examples, so the mean over partitions converges to the target whatever the pool.
    @Test func coverageHoldsOverTwentyFiveRandomPartitionsOfTheHoldOut() throws {
        let pool = Self.draw(3_000, seed: 1)
        let n = 1_000
        let target = 0.9
        // One run's coverage: Beta(k, n + 1 − k) over the calibration draw (sd √(0.9 · 0.1 / n) ≈ 0.0095) plus the
        // test part's binomial noise (≈ 0.0067): 5 standard deviations of the two together.
        let k = Double(Int(((Double(n) + 1) * target).rounded(.up)))
        let betaMean = k / Double(n + 1)
        let testCount = pool.rows.count - n
        let spread = 5 * (target * (1 - target) / Double(n) + target * (1 - target) / Double(testCount)).squareRoot()
        for method in ConformalPredictor.Method.allCases {
            var coverages: [Double] = []
            var sizes: [Double] = []
            for partition in 0..<25 {
                var g = SplitMix64(seed: 100 + UInt64(partition))
                let order = Array(0..<pool.rows.count).shuffled(using: &g)
                let (calibration, test) = (order.prefix(n), order.dropFirst(n))
                let predictor = try ConformalPredictor.fit(
                    method: method, probabilities: calibration.map { pool.rows[$0] },
                    labels: calibration.map { pool.labels[$0] }, coverage: target)
                let measure = ConformalMeasure(
                    predictor, probabilities: test.map { pool.rows[$0] }, labels: test.map { pool.labels[$0] })
                coverages.append(measure.coverage)
                sizes.append(measure.meanSize)
                #expect(measure.sizeCounts.reduce(0, +) == testCount)
            }
            let mean = coverages.reduce(0, +) / Double(coverages.count)
            #expect(abs(mean - target) <= 0.01, "\(method): mean coverage \(mean)")
            for c in coverages { #expect(abs(c - betaMean) <= spread, "\(method): a run covered \(c)") }
            let meanSize = sizes.reduce(0, +) / Double(sizes.count)
            #expect(meanSize > 1 && meanSize < 10, "\(method): mean set size \(meanSize)")
        }
    }
}
