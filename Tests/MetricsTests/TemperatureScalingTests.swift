import Foundation
import TestSupport
import Testing

@testable import Metrics

@Suite("Temperature scaling")
struct TemperatureScalingTests {
    /// 20,000 samples of 5 logits z ~ N(0, 4²), each label drawn from softmax(z / 2.5):
    /// the NLL-optimal temperature for the logits z is the true 2.5, up to sampling noise
    /// (a few hundredths at this size).
    private static let (logits, labels): ([[Double]], [Int]) = {
        var generator = SplitMix64(seed: 2017)
        var logits: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<20_000 {
            let row = (0..<5).map { _ in 4 * generator.nextGaussian() }
            logits.append(row)
            labels.append(generator.nextCategory(softmax(row, temperature: 2.5)))
        }
        return (logits, labels)
    }()

    @Test func recoversAKnownTemperature() throws {
        let fitted = try TemperatureScaling.fit(logits: Self.logits, labels: Self.labels)
        #expect(abs(fitted.temperature - 2.5) < 0.1, "T = \(fitted.temperature)")
        let before = TemperatureScaling.negativeLogLikelihood(logits: Self.logits, labels: Self.labels, temperature: 1)
        let after = TemperatureScaling.negativeLogLikelihood(
            logits: Self.logits, labels: Self.labels,
            temperature: fitted.temperature)
        #expect(after <= before)
        // The fit is a minimum: nudging T either way does not lower the NLL.
        for factor in [0.99, 1.01] {
            #expect(
                after
                    <= TemperatureScaling.negativeLogLikelihood(
                        logits: Self.logits, labels: Self.labels, temperature: fitted.temperature * factor))
        }
    }

    @Test func fittingIsDeterministic() throws {
        let first = try TemperatureScaling.fit(logits: Self.logits, labels: Self.labels)
        let second = try TemperatureScaling.fit(logits: Self.logits, labels: Self.labels)
        #expect(first == second)
    }

    /// Always right with a margin: sharper is always better, so T stops at 0.01. Always
    /// wrong: flatter is always better, so T stops at 100.
    @Test func theTemperatureStaysInItsRange() throws {
        let logits: [[Double]] = [[10, 0], [0, 10]]
        #expect(try TemperatureScaling.fit(logits: logits, labels: [0, 1]).temperature == 0.01)
        #expect(try TemperatureScaling.fit(logits: logits, labels: [1, 0]).temperature == 100)
        // Equal logits: the NLL is log 2 whatever T is, so T stays 1.
        #expect(try TemperatureScaling.fit(logits: [[3, 3], [0, 0]], labels: [0, 1]).temperature == 1)
    }

    /// softmax([0, 2 log 3] / 2) = softmax([0, log 3]) = [¼, ¾]; the argmax is kept.
    @Test func calibratedDividesTheLogits() {
        let scaling = TemperatureScaling(temperature: 2)
        let rows = scaling.calibrated(logits: [[0, 2 * log(3)]])
        #expect(isClose(rows[0][0], 0.25, tolerance: 1e-15) && isClose(rows[0][1], 0.75, tolerance: 1e-15))
    }

    @Test func badLogitsThrow() {
        #expect(throws: MetricsError.empty(values: "logits")) {
            try TemperatureScaling.fit(logits: [], labels: [])
        }
        #expect(throws: MetricsError.nonFinite(values: "logits of sample 1", index: 0)) {
            try TemperatureScaling.fit(logits: [[1, 2], [-.infinity, 0]], labels: [0, 1])
        }
    }

    @Test func decodingRefusesANonPositiveTemperature() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TemperatureScaling.self, from: Data(#"{"temperature":-1}"#.utf8))
        }
    }
}
