import Foundation
import TestSupport
import Testing

@testable import Reports

@Suite("Nice axis ticks")
struct NiceScaleTests {
    /// Hand-computed: the spacing among 1, 2, 5 × 10^k giving 4–6 ticks closest to 5
    /// (the smaller on a tie), extended outwards to cover the data.
    @Test(
        arguments: [
            (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1]),
            (0, 10, [0, 2, 4, 6, 8, 10]),
            (0.13, 0.87, [0, 0.2, 0.4, 0.6, 0.8, 1]),
            (-3.2, 7.9, [-5, 0, 5, 10]),
            (1234, 5678, [1000, 2000, 3000, 4000, 5000, 6000]),
            (0.0012, 0.0047, [0.001, 0.002, 0.003, 0.004, 0.005]),
            (0.25, 2.25, [0, 0.5, 1, 1.5, 2, 2.5]),
        ] as [(Double, Double, [Double])])
    func ticks(lower: Double, upper: Double, expected: [Double]) {
        let scale = NiceScale(covering: lower, upper)
        #expect(scale.ticks.count == expected.count, "\(scale.ticks)")
        for (tick, want) in zip(scale.ticks, expected) {
            #expect(abs(tick - want) <= 1e-12 * max(1, abs(want)), "\(scale.ticks)")
        }
    }

    /// −4.7…4.5 has no enclosing 1/2/5 ticks in 4–6 (2 apart gives 7, 5 apart gives 3),
    /// so the axis is the data's range with ticks inside it.
    @Test func withoutEnclosingTicksTheTicksGoInside() {
        let scale = NiceScale(covering: -4.7, 4.5)
        #expect(scale.ticks == [-4, -2, 0, 2, 4])
        #expect(scale.lower == -4.7 && scale.upper == 4.5)
    }

    @Test func stepsGetWholeNumberSpacing() {
        #expect(NiceScale(covering: 0, 2000, integral: true).ticks == [0, 500, 1000, 1500, 2000])
        #expect(NiceScale(covering: 0, 3, integral: true).spacing >= 1)
    }

    /// A flat series still gets a real axis, centred on its value.
    @Test func aConstantIsWidenedByOneUnitOfItsLeadingDigit() {
        #expect(NiceScale(covering: 5, 5).ticks == [4, 4.5, 5, 5.5, 6])
        #expect(NiceScale(covering: 0, 0).ticks == [-1, -0.5, 0, 0.5, 1])
        let small = NiceScale(covering: 0.37, 0.37)
        #expect(small.lower < 0.37 && small.upper > 0.37 && small.spacing > 0)
    }

    @Test func manyRangesGiveFourToSixTicksCoveringTheData() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let magnitude = pow(10, Double(Int(generator.nextUnit() * 12) - 6))
            let a = (generator.nextUnit() - 0.5) * 10 * magnitude
            let b = a + generator.nextUnit() * 10 * magnitude + magnitude * 1e-3
            let scale = NiceScale(covering: a, b)
            #expect((4...6).contains(scale.ticks.count), "\(a)…\(b): \(scale.ticks)")
            #expect(scale.lower <= a && scale.upper >= b, "\(a)…\(b): \(scale.ticks)")
            #expect(scale.ticks.allSatisfy { $0 >= scale.lower && $0 <= scale.upper })
        }
    }

    @Test func labelsUseTheDecimalsTheSpacingNeeds() {
        #expect(NumberFormat.tick(0.1 + 0.2, spacing: 0.1) == "0.3")
        #expect(NumberFormat.tick(0.4000000000000001, spacing: 0.2) == "0.4")
        #expect(NumberFormat.tick(1500, spacing: 500) == "1500")
        #expect(NumberFormat.tick(0.0025, spacing: 0.0005) == "0.0025")
        #expect(NumberFormat.tick(-0.0, spacing: 0.5) == "0.0")
        #expect(NumberFormat.tick(2e6, spacing: 1e6) == "2e6")
    }
}
