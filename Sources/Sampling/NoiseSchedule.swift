import Foundation

/// The noise levels σ₁ > σ₂ > … > σ_L of multi-scale denoising score matching and of
/// annealed Langevin sampling (Song & Ermon 2019), largest first.
public struct NoiseSchedule: Sendable, Equatable, Codable {
    /// The levels, strictly decreasing, all positive.
    public let sigmas: [Float]

    /// Given levels (any order; sorted largest first). Levels must be positive and distinct.
    public init(sigmas: [Float]) {
        precondition(
            !sigmas.isEmpty && sigmas.allSatisfy { $0 > 0 && $0.isFinite },
            "NoiseSchedule: levels \(sigmas) must be positive and finite")
        let sorted = sigmas.sorted(by: >)
        precondition(
            zip(sorted, sorted.dropFirst()).allSatisfy { $0 > $1 }, "NoiseSchedule: levels \(sigmas) must be distinct")
        self.sigmas = sorted
    }

    /// `levels` values from `largest` down to `smallest` with a constant ratio (Song & Ermon
    /// 2019: 10 levels, 1 → 0.01).
    public static func geometric(largest: Float, smallest: Float, levels: Int) -> NoiseSchedule {
        precondition(
            levels >= 1 && largest > 0 && smallest > 0 && (levels == 1 || largest > smallest),
            "NoiseSchedule.geometric: \(levels) levels from \(largest) to \(smallest)")
        guard levels > 1 else { return NoiseSchedule(sigmas: [largest]) }
        let ratio = log(Double(smallest) / Double(largest)) / Double(levels - 1)
        return NoiseSchedule(sigmas: (0..<levels).map { Float(Double(largest) * exp(ratio * Double($0))) })
    }

    /// `levels` evenly spaced values from `largest` down to `smallest`.
    public static func linear(largest: Float, smallest: Float, levels: Int) -> NoiseSchedule {
        precondition(
            levels >= 1 && largest > 0 && smallest > 0 && (levels == 1 || largest > smallest),
            "NoiseSchedule.linear: \(levels) levels from \(largest) to \(smallest)")
        guard levels > 1 else { return NoiseSchedule(sigmas: [largest]) }
        return NoiseSchedule(
            sigmas: (0..<levels).map { largest + (smallest - largest) * Float($0) / Float(levels - 1) })
    }

    /// The smallest level σ_L.
    public var smallest: Float { sigmas[sigmas.count - 1] }
}
