import Foundation
import TestSupport
import Testing

@testable import Metrics

@Suite("Accuracy, NLL and Brier score")
struct ClassificationMetricsTests {
    /// Three samples, three classes:
    /// - [0.7, 0.2, 0.1], y = 0: argmax 0, right; −log 0.7 = 0.356675;
    ///   Brier 0.3² + 0.2² + 0.1² = 0.09 + 0.04 + 0.01 = 0.14.
    /// - [0.1, 0.6, 0.3], y = 2: argmax 1, wrong; −log 0.3 = 1.203973;
    ///   Brier 0.1² + 0.6² + 0.7² = 0.01 + 0.36 + 0.49 = 0.86.
    /// - [0.4, 0.4, 0.2], y = 1: argmax tie 0/1 → 0, wrong; −log 0.4 = 0.916291;
    ///   Brier 0.4² + 0.6² + 0.2² = 0.16 + 0.36 + 0.04 = 0.56.
    /// accuracy = 1/3; nll = (0.356675 + 1.203973 + 0.916291)/3 = 0.825646;
    /// brier = (0.14 + 0.86 + 0.56)/3 = 1.56/3 = 0.52.
    @Test func handExample() throws {
        let metrics = try ClassificationMetrics.compute(
            probabilities: [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]], labels: [0, 2, 1])
        #expect(metrics.count == 3)
        #expect(isClose(metrics.accuracy, 1.0 / 3))
        #expect(isClose(metrics.nll, (log(1 / 0.7) + log(1 / 0.3) + log(1 / 0.4)) / 3))
        #expect(isClose(metrics.nll, 0.825646160046, tolerance: 1e-11))
        #expect(isClose(metrics.brier, 0.52))
    }

    /// A tie goes to the lowest index: [0.4, 0.4, 0.2] predicts class 0, so label 0 is
    /// right and label 1 wrong.
    @Test func argmaxTieTakesTheLowestIndex() throws {
        let row = [0.4, 0.4, 0.2]
        #expect(try ClassificationMetrics.compute(probabilities: [row], labels: [0]).accuracy == 1)
        #expect(try ClassificationMetrics.compute(probabilities: [row], labels: [1]).accuracy == 0)
        #expect(try ClassificationMetrics.compute(probabilities: [[0.5, 0.5]], labels: [0]).accuracy == 1)
    }

    /// p_y = 0 is clamped to 10⁻¹²: nll = −log 10⁻¹² = 27.631021; Brier = 1² + 1² = 2.
    @Test func zeroProbabilityIsClamped() throws {
        let metrics = try ClassificationMetrics.compute(probabilities: [[1, 0]], labels: [1])
        #expect(isClose(metrics.nll, -log(1e-12)))
        #expect(isClose(metrics.nll, 27.631021115928547, tolerance: 1e-12))
        #expect(metrics.brier == 2)
    }

    @Test func badProbabilitiesThrowNamingTheSample() {
        #expect(throws: MetricsError.empty(values: "probabilities")) {
            try ClassificationMetrics.compute(probabilities: [], labels: [])
        }
        #expect(throws: MetricsError.nonFinite(values: "probabilities of sample 1", index: 2)) {
            try ClassificationMetrics.compute(probabilities: [[0.5, 0.5, 0], [0.5, 0.5, .nan]], labels: [0, 1])
        }
        #expect(
            throws: MetricsError.outOfRange(
                values: "probabilities of sample 0", index: 1,
                value: 1.5, range: "[0, 1]")
        ) {
            try ClassificationMetrics.compute(probabilities: [[0, 1.5]], labels: [0])
        }
    }

    /// softmax([0, log 2, log 3] / 1) = [1, 2, 3]/6; with T = 2 the logits [0, 2 log 2]
    /// become [0, log 2], so [1, 2]/3. Large logits do not overflow.
    @Test func softmaxOfLogits() {
        let plain = ClassificationMetrics.probabilities(fromLogits: [[0, log(2), log(3)]])
        for (p, want) in zip(plain[0], [1.0 / 6, 2.0 / 6, 3.0 / 6]) { #expect(isClose(p, want, tolerance: 1e-15)) }
        let tempered = ClassificationMetrics.probabilities(fromLogits: [[0, 2 * log(2)]], temperature: 2)
        #expect(isClose(tempered[0][0], 1.0 / 3, tolerance: 1e-15))
        #expect(isClose(tempered[0][1], 2.0 / 3, tolerance: 1e-15))
        let huge = ClassificationMetrics.probabilities(fromLogits: [[1000, 1000, -.infinity]])
        #expect(huge == [[0.5, 0.5, 0]])
        #expect(ClassificationMetrics.probabilities(fromLogits: [[.nan, 1]])[0].allSatisfy { $0.isNaN })
    }

    @Test func errorsDescribeTheProblem() {
        #expect(
            MetricsError.nonFinite(values: "in-distribution scores", index: 3).description
                == "in-distribution scores: element 3 is not finite (NaN or infinite)")
        #expect(MetricsError.empty(values: "confidences").description.hasPrefix("confidences: empty"))
        #expect(
            MetricsError.outOfRange(values: "confidences", index: 2, value: 1.25, range: "[0, 1]").description
                == "confidences: element 2 is 1.25, outside [0, 1]")
    }
}
