import Foundation

/// A small deterministic generator (SplitMix64), so randomized checks and fixtures are the
/// same on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state: it advances by a fixed odd constant on each draw.
    public var state: UInt64

    /// A generator starting from `seed`; the same seed gives the same draws.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal, by Box–Muller (1 − u keeps the logarithm finite).
    public mutating func nextGaussian() -> Double {
        let u = 1 - nextUnit()
        let v = nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A class drawn with the given probabilities (summing to 1).
    public mutating func nextCategory(_ probabilities: [Double]) -> Int {
        var remaining = nextUnit()
        for (index, p) in probabilities.enumerated() {
            remaining -= p
            if remaining < 0 { return index }
        }
        return probabilities.count - 1
    }

    /// A score on a coarse grid of `levels` values in [0, 1), so draws tie often.
    public mutating func nextTiedScore(levels: Int) -> Double {
        Double(Int(nextUnit() * Double(levels))) / Double(levels)
    }
}

/// Whether `a` and `b` agree to `tolerance`, absolutely.
public func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-12) -> Bool {
    abs(a - b) <= tolerance
}

/// Whether two optional values agree to `tolerance`, `nil` only matching `nil`.
public func isClose(_ a: Double?, _ b: Double?, tolerance: Double = 1e-12) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let a?, let b?): return isClose(a, b, tolerance: tolerance)
    default: return false
    }
}
