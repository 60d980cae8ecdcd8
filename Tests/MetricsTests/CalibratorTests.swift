import Foundation
import TestSupport
import Testing

@testable import Metrics

@Suite("Calibrator: fitting by method, applying, storing as JSON")
struct CalibratorTests {
    /// 400 samples of 4 over-confident logits: labels drawn from softmax(z / 2).
    private static let (logits, labels): ([[Double]], [Int]) = {
        var generator = SplitMix64(seed: 23)
        var logits: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<400 {
            let row = (0..<4).map { _ in 3 * generator.nextGaussian() }
            logits.append(row)
            labels.append(generator.nextCategory(softmax(row, temperature: 2)))
        }
        return (logits, labels)
    }()

    @Test(arguments: CalibrationMethod.allCases)
    func fitsTheMethodAsked(method: CalibrationMethod) throws {
        let calibrator = try Calibrator.fit(method: method, logits: Self.logits, labels: Self.labels)
        #expect(calibrator.method == method)
        let rows = calibrator.calibrated(logits: Self.logits)
        #expect(rows.count == Self.logits.count)
        for row in rows { #expect(isClose(row.reduce(0, +), 1, tolerance: 1e-12)) }
    }

    @Test(arguments: CalibrationMethod.allCases)
    func jsonRoundTripGivesAnEqualCalibrator(method: CalibrationMethod) throws {
        let calibrator = try Calibrator.fit(method: method, logits: Self.logits, labels: Self.labels)
        let data = try JSONEncoder().encode(calibrator)
        let decoded = try JSONDecoder().decode(Calibrator.self, from: data)
        #expect(decoded == calibrator)
        #expect(decoded.calibrated(logits: Self.logits) == calibrator.calibrated(logits: Self.logits))
    }

    /// Temperature scaling never changes the prediction.
    @Test func temperatureKeepsTheArgmax() throws {
        let calibrator = try Calibrator.fit(method: .temperature, logits: Self.logits, labels: Self.labels)
        for (row, calibrated) in zip(Self.logits, calibrator.calibrated(logits: Self.logits)) {
            #expect(argmax(row) == argmax(calibrated))
        }
    }

    /// Fitted on its own validation set, each method lowers the ECE of these
    /// over-confident logits (15 equal-width bins).
    @Test(arguments: CalibrationMethod.allCases)
    func calibrationLowersTheValidationECE(method: CalibrationMethod) throws {
        let calibrator = try Calibrator.fit(method: method, logits: Self.logits, labels: Self.labels)
        let before = try CalibrationMetrics.compute(
            probabilities: ClassificationMetrics.probabilities(fromLogits: Self.logits), labels: Self.labels)
        let after = try CalibrationMetrics.compute(
            probabilities: calibrator.calibrated(logits: Self.logits), labels: Self.labels)
        #expect(after.ece < before.ece, "\(method): \(before.ece) → \(after.ece)")
    }

    @Test func methodsHaveStableNames() {
        #expect(CalibrationMethod.allCases.map(\.rawValue) == ["temperature", "histogram", "isotonic"])
    }

    @Test func metricsAreStoredAsJSON() throws {
        let metrics = try CalibrationMetrics.compute(
            confidences: [0.2, 0.9], correct: [false, true],
            binning: .equalMass(bins: 2))
        let decoded = try JSONDecoder().decode(CalibrationMetrics.self, from: JSONEncoder().encode(metrics))
        #expect(decoded == metrics)
        let detection = try DetectionMetrics.compute(inDistribution: [1, 2], outOfDistribution: [0])
        #expect(try JSONDecoder().decode(DetectionMetrics.self, from: JSONEncoder().encode(detection)) == detection)
    }
}
