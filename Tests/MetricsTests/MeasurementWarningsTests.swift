import TestSupport
import Testing

@testable import Metrics

/// The two warnings a reader must not miss, on hand-computed cases.
@Suite struct MeasurementWarningsTests {
    @Test func anAUROCClearlyBelowChanceIsInverted() {
        // 10,000 against 5,000: the chance error is √(15001 / (12·10⁸)) ≈ 0.0035, so the bar is 0.45.
        #expect(MeasurementWarnings.isInverted(auroc: 0.0003, inCount: 10_000, outCount: 5_000))
        #expect(MeasurementWarnings.isInverted(auroc: 0.449, inCount: 10_000, outCount: 5_000))
        #expect(!MeasurementWarnings.isInverted(auroc: 0.451, inCount: 10_000, outCount: 5_000))
        #expect(!MeasurementWarnings.isInverted(auroc: 0.9, inCount: 10_000, outCount: 5_000))
        // 5 against 10: the chance error is √(16 / 600) ≈ 0.163, so only below 0.5 − 0.49 = 0.01.
        #expect(!MeasurementWarnings.isInverted(auroc: 0.2, inCount: 5, outCount: 10))
        #expect(MeasurementWarnings.isInverted(auroc: 0, inCount: 5, outCount: 10))
        #expect(!MeasurementWarnings.isInverted(auroc: .nan, inCount: 5, outCount: 10))
        #expect(!MeasurementWarnings.isInverted(auroc: 0, inCount: 0, outCount: 10))
        let text = MeasurementWarnings.inverted(
            score: "grad-norm", dataset: "mnist-5k", inDataset: "test", auroc: 0.0625)
        #expect(
            text
                == "inverted score: grad-norm ranks mnist-5k as more in-distribution than test (AUROC 0.0625); its stated "
                + "direction is wrong for this model, and its negation would reach 0.9375")
        // Several sets of one score make one sentence; each score its own.
        let grouped = MeasurementWarnings.inverted(
            [
                ("grad-norm", "uniform", 0.001), ("max-logit", "constant", 0.3),
                ("grad-norm", "constant", 0.25),
            ], inDataset: "test")
        #expect(
            grouped == [
                "inverted score: grad-norm ranks 2 OOD sets as more in-distribution than test (AUROC uniform 0.0010, constant 0.2500); "
                    + "its stated direction is wrong for this model, and its negation would reach 0.7500–0.9990",
                MeasurementWarnings.inverted(score: "max-logit", dataset: "constant", inDataset: "test", auroc: 0.3),
            ])
    }

    @Test func aCalibratorThatRaisesECEOrNLLIsFlagged() {
        let worse = MeasurementWarnings.worseAfterCalibration(
            calibrator: "temperature", dataset: "test",
            before: ["ece": 0.0129, "nll": 0.25], after: ["ece": 0.0148, "nll": 0.24])
        #expect(worse == ["calibration made ECE worse: ece on test went 0.0129 → 0.0148 with temperature"])
        #expect(
            MeasurementWarnings.worseAfterCalibration(
                calibrator: "t", dataset: "test", before: ["ece": 0.02, "nll": 0.3],
                after: ["ece": 0.01, "nll": 0.3]
            ).isEmpty)
        #expect(
            MeasurementWarnings.worseAfterCalibration(
                calibrator: "t", dataset: "test", before: ["ece": 0.02, "nll": 0.3],
                after: ["ece": 0.01, "nll": 0.31]
            ).count == 1)
    }
}
