import Foundation
import TestSupport
import Testing

@testable import Metrics

@Suite("Histogram binning")
struct HistogramBinningTests {
    /// Four bins [0, ¼], (¼, ½], (½, ¾], (¾, 1]:
    /// - bin 0: no samples → midpoint 0.125
    /// - bin 1: 0.3 ✓, 0.4 ✗, 0.45 ✗ → 1/3
    /// - bin 2: 0.6 ✓, 0.7 ✗ → 0.5
    /// - bin 3: 0.9 ✓ → 1
    private let calibrator = try? HistogramBinningCalibrator.fit(
        confidences: [0.3, 0.4, 0.45, 0.6, 0.7, 0.9],
        correct: [true, false, false, true, false, true], bins: 4)

    @Test func fittedMapIsTheBinAccuracy() throws {
        let calibrator = try #require(calibrator)
        #expect(calibrator.binConfidences == [0.125, 1.0 / 3, 0.5, 1])
        #expect(calibrator.calibratedConfidence(0.1) == 0.125)
        #expect(calibrator.calibratedConfidence(0.5) == 1.0 / 3)  // ½ is bin 1's upper edge
        #expect(calibrator.calibratedConfidence(0.75) == 0.5)
        #expect(calibrator.calibratedConfidence(1) == 1)
    }

    /// softmax(log [0.6, 0.3, 0.1]) = [0.6, 0.3, 0.1]; 0.6 is in bin 2 → c = 0.5, and the
    /// others share 0.5 as 0.3 : 0.1, i.e. 0.375 and 0.125.
    @Test func applyingKeepsTheShapeOfTheOtherClasses() throws {
        let calibrator = try #require(calibrator)
        let rows = calibrator.calibrated(logits: [[log(0.6), log(0.3), log(0.1)]])
        for (p, want) in zip(rows[0], [0.5, 0.375, 0.125]) { #expect(isClose(p, want, tolerance: 1e-14)) }
    }

    /// A predicted class alone in its row (others 0) leaves 1 − c shared equally:
    /// c = 1/3 for confidence ½ → the two others get ⅓ each.
    @Test func othersWithNoProbabilityShareEqually() throws {
        let calibrator = try #require(calibrator)
        let shared = redistributing([1, 0, 0], confidence: calibrator.calibratedConfidence(0.5))
        for p in shared { #expect(isClose(p, 1.0 / 3, tolerance: 1e-15)) }
    }

    @Test func rowsSumToOne() throws {
        var generator = SplitMix64(seed: 5)
        let logits = (0..<300).map { _ in (0..<4).map { _ in 3 * generator.nextGaussian() } }
        let labels = logits.map { argmax($0) == 0 ? 0 : Int(generator.nextUnit() * 4) }
        let calibrator = try HistogramBinningCalibrator.fit(logits: logits, labels: labels)
        #expect(calibrator.bins == 15)
        for row in calibrator.calibrated(logits: logits) {
            #expect(isClose(row.reduce(0, +), 1, tolerance: 1e-12))
            #expect(row.allSatisfy { (0...1).contains($0) })
        }
    }

    @Test func decodingRefusesBadBins() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HistogramBinningCalibrator.self, from: Data(#"{"binConfidences":[]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HistogramBinningCalibrator.self, from: Data(#"{"binConfidences":[1.5]}"#.utf8))
        }
    }
}

@Suite struct PredictionKeepingTests {
    @Test func aLowCalibratedConfidenceKeepsThePrediction() {
        // p = (0.45, 0.40, 0.15), c = 0.40: sharing 0.60 in proportion would give class 1
        // 0.6·0.40/0.55 = 0.436 > 0.40. The floor m/(1 + m) with m = 0.40/0.55 = 8/11 is 8/19.
        let q = redistributing([0.45, 0.40, 0.15], confidence: 0.40)
        #expect(abs(q[0] - 8.0 / 19.0) < 1e-12 && abs(q[1] - 8.0 / 19.0) < 1e-12)
        #expect(abs(q.reduce(0, +) - 1) < 1e-12 && argmax(q) == 0)
        // A confidence above the floor is kept as it is.
        #expect(redistributing([0.45, 0.40, 0.15], confidence: 0.7)[0] == 0.7)
    }
}
