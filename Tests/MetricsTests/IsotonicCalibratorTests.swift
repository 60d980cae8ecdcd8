import Foundation
import TestSupport
import Testing

@testable import Metrics

@Suite("Isotonic calibration")
struct IsotonicCalibratorTests {
    /// Sorted: 0.5 ✓, 0.6 ✗, 0.6 ✓, 0.7 ✗, 0.8 ✓, 0.9 ✓. Tied 0.6s pool to 0.5 (weight 2).
    /// PAV: [1] then 0.5 violates → (1 + 1)/3 = ⅔ over 0.5–0.6; then 0 violates →
    /// (2 + 0)/4 = 0.5 over 0.5–0.7; then 1, and 1 again (equal, merged) over 0.8–0.9.
    /// Knots: (0.5, 0.5), (0.7, 0.5), (0.8, 1), (0.9, 1).
    @Test func fittedMapIsThePooledMeans() throws {
        let calibrator = try IsotonicCalibrator.fit(
            confidences: [0.9, 0.5, 0.6, 0.7, 0.8, 0.6],
            correct: [true, true, false, false, true, true])
        #expect(calibrator.confidences == [0.5, 0.7, 0.8, 0.9])
        #expect(calibrator.calibratedConfidences == [0.5, 0.5, 1, 1])
        // 0.75 is halfway from (0.7, 0.5) to (0.8, 1): 0.75; outside the knots it clamps.
        #expect(isClose(calibrator.calibratedConfidence(0.75), 0.75, tolerance: 1e-14))
        #expect(calibrator.calibratedConfidence(0.6) == 0.5)
        #expect(calibrator.calibratedConfidence(0.3) == 0.5)
        #expect(calibrator.calibratedConfidence(0.95) == 1)
        #expect(calibrator.calibratedConfidence(0.8) == 1)
    }

    /// Already increasing outcomes are kept as they are: 0.2 ✗, 0.4 ✓ → knots (0.2, 0),
    /// (0.4, 1), and 0.3 maps to 0.5.
    @Test func increasingDataIsUnchanged() throws {
        let calibrator = try IsotonicCalibrator.fit(confidences: [0.4, 0.2], correct: [true, false])
        #expect(calibrator.confidences == [0.2, 0.4] && calibrator.calibratedConfidences == [0, 1])
        #expect(isClose(calibrator.calibratedConfidence(0.3), 0.5, tolerance: 1e-15))
    }

    @Test func outputIsMonotoneAndRowsSumToOne() throws {
        var generator = SplitMix64(seed: 19)
        let logits = (0..<500).map { _ in (0..<3).map { _ in 2 * generator.nextGaussian() } }
        let labels = logits.map { row in
            generator.nextCategory(softmax(row, temperature: 1.5))
        }
        let calibrator = try IsotonicCalibrator.fit(logits: logits, labels: labels)
        var previous = -Double.infinity
        for step in 0...1000 {
            let value = calibrator.calibratedConfidence(Double(step) / 1000)
            #expect(value >= previous && (0...1).contains(value), "at \(step)/1000")
            previous = value
        }
        for row in calibrator.calibrated(logits: logits) {
            #expect(isClose(row.reduce(0, +), 1, tolerance: 1e-12))
        }
    }

    @Test func badInputsThrow() {
        #expect(throws: MetricsError.empty(values: "confidences")) {
            try IsotonicCalibrator.fit(confidences: [], correct: [])
        }
        #expect(throws: MetricsError.nonFinite(values: "logits of sample 0", index: 1)) {
            try IsotonicCalibrator.fit(logits: [[0, .nan]], labels: [0])
        }
    }

    @Test func decodingRefusesDecreasingKnots() {
        let json = #"{"confidences":[0.5,0.4],"calibratedConfidences":[0.1,0.2]}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(IsotonicCalibrator.self, from: Data(json.utf8))
        }
    }
}
