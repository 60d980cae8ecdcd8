import Foundation

/// The few random draws this library needs, written out so that a seed gives the same
/// splits, batches and samples on every platform and toolchain (the standard library's
/// `shuffle(using:)` and `random(in:using:)` do not promise a fixed algorithm).
extension RandomNumberGenerator {
    /// Uniform on [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on 0..<`bound`, without modulo bias (Lemire's multiply-and-reject).
    mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "nextIndex(below:): bound \(bound) must be positive")
        let range = UInt64(bound)
        let threshold = (0 &- range) % range  // 2^64 mod range
        while true {
            let product = next().multipliedFullWidth(by: range)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// A fair coin.
    mutating func nextBool() -> Bool { next() >> 63 == 1 }

    /// A standard normal draw (Box–Muller, one of the pair).
    mutating func nextNormal() -> Double {
        let u1 = (Double(next() >> 11) + 1) * 0x1.0p-53  // (0, 1]: the logarithm stays finite
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// The elements of `array` in a uniformly random order (Fisher–Yates).
    mutating func shuffled<T>(_ array: [T]) -> [T] {
        var result = array
        var i = result.count - 1
        while i > 0 {
            result.swapAt(i, nextIndex(below: i + 1))
            i -= 1
        }
        return result
    }
}
