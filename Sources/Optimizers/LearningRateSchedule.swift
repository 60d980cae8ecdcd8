import Foundation

/// The learning rate as a function of the step (0-based), optionally preceded by a linear
/// warm-up.
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// The shape after warm-up.
    public enum Decay: Sendable, Equatable, Codable {
        /// η constant.
        case constant
        /// η·γ^⌊step / every⌋ (PyTorch's `StepLR`), or, with milestones, η·γ^(milestones passed)
        /// (`MultiStepLR`).
        case step(every: Int?, milestones: [Int], gamma: Float)
        /// η_min + ½(η − η_min)(1 + cos(π·t/T)) over `totalSteps` (PyTorch's `CosineAnnealingLR`).
        case cosine(totalSteps: Int, minimum: Float)
    }

    /// η: the peak learning rate, before decay and warm-up.
    public var base: Float
    /// How the rate falls with the step (counted from step 0; warm-up scales it on top).
    public var decay: Decay
    /// Steps of linear warm-up from η/warmupSteps to η (JEM: 1,000).
    public var warmupSteps: Int

    /// A schedule from `base` with `decay` (constant by default) and `warmupSteps` steps of warm-up (none by default).
    public init(base: Float, decay: Decay = .constant, warmupSteps: Int = 0) {
        self.base = base
        self.decay = decay
        self.warmupSteps = warmupSteps
    }

    /// The rate at `step`.
    public func rate(at step: Int) -> Float {
        var rate: Float
        switch decay {
        case .constant:
            rate = base
        case .step(let every, let milestones, let gamma):
            let passed = every.map { step / max($0, 1) } ?? milestones.filter { step >= $0 }.count
            rate = base * Float(pow(Double(gamma), Double(passed)))
        case .cosine(let total, let minimum):
            let t = Double(min(step, total)) / Double(max(total, 1))
            rate = minimum + Float(0.5 * (1 + cos(.pi * t))) * (base - minimum)
        }
        if warmupSteps > 0 && step < warmupSteps {
            rate *= Float(step + 1) / Float(warmupSteps)
        }
        return rate
    }
}
