import Foundation
import TestSupport
import Testing

@testable import Metrics

@Suite struct MaximumMeanDiscrepancyTests {
    @Test func handComputedCase() throws {
        // x = {0, 1}, y = {0, 2} on a line, h = 1: k(d) = exp(−d²/2).
        // within x: k(1) = e^−½; within y: k(2) = e^−2; across: k(0) + k(2) + k(1) + k(1) = 1 + e^−2 + 2e^−½.
        // MMD² = e^−½ + e^−2 − 2(1 + e^−2 + 2e^−½)/4.
        let expected = exp(-0.5) + exp(-2) - (1 + exp(-2) + 2 * exp(-0.5)) / 2
        let value = try MaximumMeanDiscrepancy.squared([[0], [1]], [[0], [2]], bandwidth: 1)
        #expect(abs(value - expected) < 1e-12)
    }

    @Test func separatesDistributionsAndIsNearZeroForOne() throws {
        var g = SplitMix64(seed: 3)
        let a = (0..<300).map { _ in [g.nextGaussian(), g.nextGaussian()] }
        let b = (0..<300).map { _ in [g.nextGaussian(), g.nextGaussian()] }
        let shifted = (0..<300).map { _ in [g.nextGaussian() + 1, g.nextGaussian()] }
        let same = try MaximumMeanDiscrepancy.squared(a, b, bandwidth: 1)
        let apart = try MaximumMeanDiscrepancy.squared(a, shifted, bandwidth: 1)
        #expect(abs(same) < 0.01 && apart > 0.1, "same \(same), shifted \(apart)")
        #expect(throws: MetricsError.self) { try MaximumMeanDiscrepancy.squared([[0]], b, bandwidth: 1) }
        #expect(throws: MetricsError.self) { try MaximumMeanDiscrepancy.squared([[0], [.nan]], b, bandwidth: 1) }
    }
}
