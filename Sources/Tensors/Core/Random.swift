import CJouleKernels
import Foundation

/// A small, fast, seedable generator (xoshiro256**, seeded by SplitMix64) so that every
/// stochastic API can be replayed exactly from a seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The full state, for checkpoints.
    public internal(set) var state: [UInt64]

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = [splitMix(), splitMix(), splitMix(), splitMix()]
    }

    /// The next 64 random bits (one xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Reads a saved state, which must be four words, not all zero (xoshiro's one fixed point).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([UInt64].self, forKey: .state)
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container,
                debugDescription: "a generator state is four words, not all zero (got \(words.count))")
        }
        state = words
    }

    private enum CodingKeys: String, CodingKey { case state }
}

extension Tensor {
    /// Independent draws from Uniform[`lower`, `upper`).
    public init<G: RandomNumberGenerator>(
        randomUniform shape: [Int], lower: Float = 0, upper: Float = 1,
        using generator: inout G
    ) {
        Shape.validate(shape, in: "Tensor(randomUniform:)")
        let out = Tensor.uninitialized(shape)
        let p = out.storage.pointer
        let scale = Double(upper - lower)
        for i in 0..<out.scalarCount {
            p[i] = lower + Float(Double(generator.next() >> 11) * 0x1.0p-53 * scale)
        }
        self = out
    }

    /// Independent draws from Normal(`mean`, `standardDeviation`²) by the Box–Muller transform.
    /// With a `SeededGenerator` the draws come from a vectorised C loop on 24-bit uniforms
    /// (SGLD draws one per pixel per step, so this is on the sampler's critical path);
    /// any other generator takes the scalar path below.
    public init<G: RandomNumberGenerator>(
        randomNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout G
    ) {
        Shape.validate(shape, in: "Tensor(randomNormal:)")
        let out = Tensor.uninitialized(shape)
        let p = out.storage.pointer
        let n = out.scalarCount
        if G.self == SeededGenerator.self {
            withUnsafeMutablePointer(to: &generator) { pointer in
                pointer.withMemoryRebound(to: SeededGenerator.self, capacity: 1) { seeded in
                    seeded.pointee.state.withUnsafeMutableBufferPointer { state in
                        if let base = state.baseAddress { joule_fill_normal(p, n, base, mean, standardDeviation) }
                    }
                }
            }
            self = out
            return
        }
        var i = 0
        while i < n {
            // u1 in (0, 1] keeps the logarithm finite.
            let u1 = (Double(generator.next() >> 11) + 1) * 0x1.0p-53
            let u2 = Double(generator.next() >> 11) * 0x1.0p-53
            let r = (-2 * Foundation.log(u1)).squareRoot()
            p[i] = mean + standardDeviation * Float(r * Foundation.cos(2 * .pi * u2))
            if i + 1 < n { p[i + 1] = mean + standardDeviation * Float(r * Foundation.sin(2 * .pi * u2)) }
            i += 2
        }
        self = out
    }
}
