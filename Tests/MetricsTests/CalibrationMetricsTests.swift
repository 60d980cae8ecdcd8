import TestSupport
import Testing

@testable import Metrics

@Suite("ECE, MCE and RMS calibration error")
struct CalibrationMetricsTests {
    /// Five equal-width bins [0, .2], (.2, .4], (.4, .6], (.6, .8], (.8, 1]:
    /// - bin 0: 0.0 ✗ (closed at 0), 0.2 ✓ (upper edge) → n 2, conf 0.1, acc 0.5, gap +0.4
    /// - bin 1: 0.3 ✗, 0.4 ✓ (upper edge) → n 2, conf 0.35, acc 0.5, gap +0.15
    /// - bin 2: 0.5 ✓ → n 1, conf 0.5, acc 1, gap +0.5
    /// - bin 3: empty
    /// - bin 4: 0.9 ✓, 1.0 ✗ (1 is in the last bin) → n 2, conf 0.95, acc 0.5, gap −0.45
    /// ECE = (2·0.4 + 2·0.15 + 1·0.5 + 2·0.45)/7 = 2.5/7 = 0.357143; MCE = 0.5;
    /// RMS = sqrt((2·0.16 + 2·0.0225 + 0.25 + 2·0.2025)/7) = sqrt(1.02/7) = 0.381725.
    @Test func equalWidthHandExample() throws {
        let metrics = try CalibrationMetrics.compute(
            confidences: [0.0, 0.2, 0.3, 0.4, 0.5, 0.9, 1.0],
            correct: [false, true, false, true, true, true, false],
            binning: .equalWidth(bins: 5))
        #expect(isClose(metrics.ece, 2.5 / 7))
        #expect(isClose(metrics.mce, 0.5))
        #expect(isClose(metrics.rmsCalibrationError, (1.02 / 7).squareRoot()))
        #expect(metrics.bins.map(\.count) == [2, 2, 1, 0, 2])
        let expected: [(Double?, Double?, Double?)] = [
            (0.1, 0.5, 0.4), (0.35, 0.5, 0.15), (0.5, 1, 0.5), (nil, nil, nil), (0.95, 0.5, -0.45),
        ]
        for (bin, (confidence, accuracy, gap)) in zip(metrics.bins, expected) {
            #expect(isClose(bin.meanConfidence, confidence, tolerance: 1e-15))
            #expect(isClose(bin.accuracy, accuracy))
            #expect(isClose(bin.gap, gap, tolerance: 1e-15))
        }
        #expect(metrics.bins.map(\.lower) == [0, 0.2, 0.4, 0.6, 0.8])
        #expect(metrics.bins.map(\.upper) == [0.2, 0.4, 0.6, 0.8, 1])
        #expect(metrics.binning == .equalWidth(bins: 5))
    }

    /// Edges as divided doubles: every k/B lands in bin k − 1, k/B nudged up lands in bin k.
    @Test func edgesBelongToTheBinBelow() {
        for bins in [1, 3, 5, 7, 10, 15, 20] {
            #expect(CalibrationBinning.equalWidthBin(of: 0, bins: bins) == 0)
            for k in 1...bins {
                let edge = Double(k) / Double(bins)
                #expect(CalibrationBinning.equalWidthBin(of: edge, bins: bins) == k - 1, "\(k)/\(bins)")
                if k < bins {
                    #expect(CalibrationBinning.equalWidthBin(of: edge.nextUp, bins: bins) == k, "\(k)/\(bins)+")
                }
            }
        }
    }

    /// Equal mass, 3 bins of 7 samples: sizes 3, 2, 2 (the first gets the extra one).
    /// Sorted: 0.1 ✗, 0.3 ✓, 0.5 ✗ | 0.6 ✓, 0.7 ✓ | 0.8 ✗, 0.9 ✓.
    /// - bin 0 [0.1, 0.5]: conf 0.3, acc 1/3, gap +1/30
    /// - bin 1 [0.6, 0.7]: conf 0.65, acc 1, gap +0.35
    /// - bin 2 [0.8, 0.9]: conf 0.85, acc 0.5, gap −0.35
    /// ECE = (3/30 + 2·0.35 + 2·0.35)/7 = 1.5/7 = 0.214286; MCE = 0.35;
    /// RMS = sqrt((3/900 + 2·0.1225 + 2·0.1225)/7) = 0.265474.
    @Test func equalMassHandExample() throws {
        let metrics = try CalibrationMetrics.compute(
            confidences: [0.9, 0.1, 0.5, 0.7, 0.3, 0.6, 0.8],
            correct: [true, false, false, true, true, true, false],
            binning: .equalMass(bins: 3))
        #expect(metrics.bins.map(\.count) == [3, 2, 2])
        #expect(metrics.bins.map(\.lower) == [0.1, 0.6, 0.8])
        #expect(metrics.bins.map(\.upper) == [0.5, 0.7, 0.9])
        #expect(isClose(metrics.ece, 1.5 / 7))
        #expect(isClose(metrics.mce, 0.35))
        #expect(isClose(metrics.rmsCalibrationError, ((3.0 / 900 + 0.49) / 7).squareRoot()))
    }

    /// Two samples and five equal-mass bins: one bin per sample, 0.25 ✗ (gap −0.25) and
    /// 0.75 ✓ (gap +0.25): ECE = (0.25 + 0.25)/2 = 0.25, MCE = 0.25. Ten samples in four
    /// bins: 10 = 4·2 + 2, so sizes 3, 3, 2, 2.
    @Test func equalMassWithFewerSamplesThanBins() throws {
        let metrics = try CalibrationMetrics.compute(
            confidences: [0.75, 0.25], correct: [true, false],
            binning: .equalMass(bins: 5))
        #expect(metrics.bins.count == 2)
        #expect(metrics.bins.map(\.lower) == [0.25, 0.75])
        #expect(isClose(metrics.ece, 0.25) && isClose(metrics.mce, 0.25))
        #expect(CalibrationBinning.equalMassSizes(count: 10, bins: 4) == [3, 3, 2, 2])
    }

    /// The default is 15 equal-width bins, every one listed, empty or not: 0.5 ✓ and
    /// 0.5 ✗ share a bin with conf 0.5 and acc 0.5, so every error is 0. With 10 bins a
    /// single 0.5 ✓ sits in bin 4 (0.5 = 5/10 is its upper edge): ECE = |1 − 0.5| = 0.5.
    @Test func binCountIsConfigurable() throws {
        let standard = try CalibrationMetrics.compute(confidences: [0.5, 0.5], correct: [true, false])
        #expect(standard.binning == .standard && standard.bins.count == 15)
        #expect(standard.ece == 0 && standard.mce == 0 && standard.rmsCalibrationError == 0)
        let ten = try CalibrationMetrics.compute(confidences: [0.5], correct: [true], binning: .equalWidth(bins: 10))
        #expect(ten.bins.count == 10 && ten.bins.filter { $0.count > 0 }.count == 1)
        #expect(ten.bins[4].count == 1)  // 0.5 = 5/10 is bin 4's upper edge
        #expect(isClose(ten.ece, 0.5))
    }

    /// From probabilities: top confidences 0.7 (argmax 0 = label, ✓) and 0.6 (argmax 1 ≠
    /// 2, ✗); in one bin: conf 0.65, acc 0.5, ECE 0.15.
    @Test func fromProbabilities() throws {
        let metrics = try CalibrationMetrics.compute(
            probabilities: [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]],
            labels: [0, 2], binning: .equalWidth(bins: 1))
        #expect(isClose(metrics.ece, 0.15))
        #expect(metrics.bins.first?.count == 2)
    }

    @Test func badConfidencesThrowNamingTheIndex() {
        #expect(throws: MetricsError.empty(values: "confidences")) {
            try CalibrationMetrics.compute(confidences: [], correct: [])
        }
        #expect(throws: MetricsError.nonFinite(values: "confidences", index: 1)) {
            try CalibrationMetrics.compute(confidences: [0.5, .nan, 2], correct: [true, true, true])
        }
        #expect(throws: MetricsError.outOfRange(values: "confidences", index: 2, value: 1.01, range: "[0, 1]")) {
            try CalibrationMetrics.compute(confidences: [0.5, 1, 1.01], correct: [true, true, true])
        }
    }
}
