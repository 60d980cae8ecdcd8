import Foundation
import Testing

@testable import Tensors

/// The seeded random draws: the vectorised normal path against the distribution and the
/// generator it shares with Swift.
@Suite struct RandomTests {
    @Test func normalDrawsHaveTheRightMoments() {
        var generator = SeededGenerator(seed: 9)
        let x = Tensor(randomNormal: [200_001], mean: 2, standardDeviation: 3, using: &generator).scalars.map(
            Double.init)
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
        let kurtosis = x.map { pow(($0 - mean) / variance.squareRoot(), 4) }.reduce(0, +) / n
        let inOneSigma = Double(x.filter { abs($0 - 2) < 3 }.count) / n
        #expect(abs(mean - 2) < 0.03 && abs(variance - 9) < 0.12, "mean \(mean), variance \(variance)")
        #expect(abs(kurtosis - 3) < 0.06, "kurtosis \(kurtosis)")
        #expect(abs(inOneSigma - 0.682689) < 0.004, "P(|z| < 1) = \(inOneSigma)")
        // Odd counts fill the last element too; every element is finite.
        #expect(x.allSatisfy { $0.isFinite })
    }

    @Test func normalDrawsAdvanceTheSharedGeneratorTwoStepsPerPair() {
        var fast = SeededGenerator(seed: 5)
        var reference = SeededGenerator(seed: 5)
        _ = Tensor(randomNormal: [1_001], using: &fast)
        for _ in 0..<(2 * 501) { _ = reference.next() }
        #expect(fast == reference)
        // Same seed, same draws; a different seed, different draws.
        var a = SeededGenerator(seed: 5)
        var b = SeededGenerator(seed: 5)
        var c = SeededGenerator(seed: 6)
        let da = Tensor(randomNormal: [600], using: &a).scalars
        #expect(da == Tensor(randomNormal: [600], using: &b).scalars)
        #expect(da != Tensor(randomNormal: [600], using: &c).scalars)
    }

    @Test func otherGeneratorsTakeTheScalarPath() {
        var system = SystemRandomNumberGenerator()
        let x = Tensor(randomNormal: [20_000], using: &system).scalars
        let mean = x.reduce(0, +) / Float(x.count)
        #expect(abs(mean) < 0.05)
    }

    @Test func aSavedStateMustBeFourWordsNotAllZero() throws {
        let good = try JSONEncoder().encode(SeededGenerator(seed: 1))
        #expect(try JSONDecoder().decode(SeededGenerator.self, from: good) == SeededGenerator(seed: 1))
        for bad in [#"{"state":[1,2,3]}"#, #"{"state":[0,0,0,0]}"#, #"{"state":[]}"#] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(SeededGenerator.self, from: Data(bad.utf8)) }
        }
    }
}
