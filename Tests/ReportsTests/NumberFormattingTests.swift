import Foundation
import Testing

@testable import Reports

@Suite("Number formatting")
struct NumberFormattingTests {
    @Test(
        arguments: [
            (0.912345, "0.9123"), (1_234_567, "1.235e6"), (0.00002, "2e-5"), (42, "42"),
            (-0.0, "0"), (-1.5, "-1.5"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "\u{2212}Inf"),
        ] as [(Double, String)])
    func compact(value: Double, expected: String) {
        #expect(NumberFormat.compact(value) == expected)
    }

    @Test(
        arguments: [
            (12.34, "12.3s"), (245, "4m 05s"), (3723, "1h 02m 03s"), (183_840, "2d 03h 04m"),
        ] as [(Double, String)])
    func duration(seconds: Double, expected: String) {
        #expect(NumberFormat.duration(seconds) == expected)
    }

    @Test func aNegativeDurationIsNotShown() {
        #expect(NumberFormat.duration(-1) == nil)
    }

    @Test func coordinatesHaveOneDecimalAtMost() {
        #expect(NumberFormat.coordinate(12) == "12")
        #expect(NumberFormat.coordinate(12.34) == "12.3")
        #expect(NumberFormat.coordinate(-0.06) == "-0.1")
        #expect(NumberFormat.coordinate(0.04) == "0")
    }

    @Test func timestampsAreISO8601InUTC() {
        #expect(NumberFormat.timestamp(Fixtures.start) == "2026-11-29T19:15:00Z")
    }
}
