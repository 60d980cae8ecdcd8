import Foundation

/// An axis whose ticks fall on round numbers: 1, 2 or 5 × 10^k apart, 4 to 6 of them.
///
/// Preferably the ticks enclose the data and the axis runs from the first tick to the
/// last; among such spacings the one giving closest to 5 ticks wins (the smaller
/// spacing on a tie). Some ranges have none (−4.7…4.5 gets 7 ticks 2 apart or 3 ticks
/// 5 apart), and then the axis is the data's range with the round ticks inside it.
/// A constant series is widened by one unit of its leading digit (5 → 4…6,
/// 0.37 → 0.27…0.47) so a flat line sits in the middle of a real axis instead of
/// dividing by a zero range.
struct NiceScale: Equatable {
    /// The tick values, ascending.
    var ticks: [Double]
    /// The distance between neighbouring ticks.
    var spacing: Double

    /// The axis start: the first tick, or the data's minimum when the ticks are inside.
    var lower: Double
    /// The axis end: the last tick, or the data's maximum when the ticks are inside.
    var upper: Double

    /// The axis for data spanning `lower...upper`; with `integral`, spacings below 1 are
    /// not considered (training steps are whole numbers).
    init(covering lower: Double, _ upper: Double, integral: Bool = false) {
        var low = min(lower, upper)
        var high = max(lower, upper)
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        if high == low {
            var pad = low == 0 ? 1 : pow(10, (log10(abs(low))).rounded(.down))
            if integral { pad = max(1, pad.rounded()) }
            (low, high) = (low - pad, high + pad)
        }
        guard (high - low).isFinite, high - low > 0,
            let best = Self.bestCandidate(low, high, integral: integral)
        else {
            // Ranges near the limits of Double have no representable round ticks.
            (self.ticks, self.spacing, self.lower, self.upper) = ([low, high], high - low, low, high)
            return
        }
        self.spacing = best.spacing
        self.ticks = stride(from: best.first, through: best.last, by: 1).map { index in
            let tick = index * best.spacing
            return tick == 0 ? 0 : tick
        }
        // min/max also absorb an inner tick that rounding put a hair outside the data.
        self.lower = best.enclosing ? ticks.first ?? low : min(low, ticks.first ?? low)
        self.upper = best.enclosing ? ticks.last ?? high : max(high, ticks.last ?? high)
    }

    /// Tick indices `first...last` times `spacing`; `enclosing` when they cover the data.
    private typealias Candidate = (spacing: Double, first: Double, last: Double, enclosing: Bool)

    private static func bestCandidate(_ low: Double, _ high: Double, integral: Bool) -> Candidate? {
        let exponent = (log10((high - low) / 5)).rounded(.down)
        var candidates: [Candidate] = []
        for power in [exponent - 1, exponent, exponent + 1] {
            for mantissa in [1.0, 2, 5] {
                let spacing = mantissa * pow(10, power)
                if integral && spacing < 1 { continue }
                for enclosing in [true, false] {
                    if let candidate = candidate(spacing, low, high, enclosing: enclosing) {
                        candidates.append(candidate)
                    }
                }
            }
        }
        func badness(_ c: Candidate) -> (Int, Int, Double, Double) {
            let count = c.last - c.first + 1
            return ((4...6).contains(count) ? 0 : 1, c.enclosing ? 0 : 1, abs(count - 5), c.spacing)
        }
        return candidates.min { badness($0) < badness($1) }
    }

    private static func candidate(
        _ spacing: Double, _ low: Double, _ high: Double,
        enclosing: Bool
    ) -> Candidate? {
        let lowIndex = low / spacing
        let highIndex = high / spacing
        // Beyond 2^50 neighbouring ticks are no longer distinct doubles.
        guard spacing > 0, spacing.isFinite, abs(lowIndex) < 1e15, abs(highIndex) < 1e15 else {
            return nil
        }
        // Quotients such as 0.3 / 0.1 = 2.9999999999999996 must still land on the tick.
        let first =
            enclosing
            ? (lowIndex + tolerance(lowIndex)).rounded(.down)
            : (lowIndex - tolerance(lowIndex)).rounded(.up)
        let last =
            enclosing
            ? (highIndex - tolerance(highIndex)).rounded(.up)
            : (highIndex + tolerance(highIndex)).rounded(.down)
        let count = last - first + 1
        guard count >= 2, count <= 50 else { return nil }
        return (spacing, first, last, enclosing)
    }

    private static func tolerance(_ quotient: Double) -> Double {
        max(1e-9, abs(quotient) * 1e-12)
    }
}
