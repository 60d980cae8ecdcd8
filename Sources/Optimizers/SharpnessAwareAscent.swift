import Tensors

/// The ascent step of sharpness-aware minimisation: SAM (Foret et al. 2021) takes each
/// update's gradient at w + ε̂ instead of w, where ε̂ is the steepest ascent of the loss within
/// a ball of radius ρ,
///
///     SAM:  ε̂ = ρ · g / ‖g‖
///     ASAM: ε̂ = ρ · T²g / ‖T g‖,  T = |w| + η   (Kwon et al. 2021: the ball is scaled by
///                                                 each weight's size, η = 0.01)
///
/// with g the gradient at w over all parameters at once. The caller then computes the loss's
/// gradient at the perturbed weights and hands it to the optimiser, which updates w itself:
/// one more forward and backward pass per step.
public struct SharpnessAwareAscent: Sendable, Equatable {
    /// ρ, the neighbourhood's radius (in the scaled norm ‖T⁻¹ε‖ for the adaptive form).
    public var radius: Float
    /// ASAM's scale-invariant neighbourhood instead of SAM's Euclidean ball.
    public var adaptive: Bool
    /// η in ASAM's T = |w| + η: keeps weights near zero movable (Kwon et al.'s 0.01).
    public static let adaptiveOffset: Float = 0.01

    /// SAM (or ASAM with `adaptive`) with radius ρ; traps on a negative or non-finite ρ.
    public init(radius: Float, adaptive: Bool) {
        precondition(radius >= 0 && radius.isFinite, "SharpnessAwareAscent: ρ must be a non-negative number")
        self.radius = radius
        self.adaptive = adaptive
    }

    /// w + ε̂ for each parameter. A zero gradient leaves the weights where they are.
    public func perturbed(_ parameters: [Tensor], gradients: [Tensor]) -> [Tensor] {
        precondition(parameters.count == gradients.count, "SharpnessAwareAscent: one gradient per parameter")
        return withoutRecording { perturbedUnrecorded(parameters, gradients: gradients) }
    }

    private func perturbedUnrecorded(_ parameters: [Tensor], gradients: [Tensor]) -> [Tensor] {
        let scales: [Tensor]? = adaptive ? parameters.map { w in w.abs() + Self.adaptiveOffset } : nil
        let scaled = scales.map { t in zip(t, gradients).map { pair in pair.0 * pair.1 } } ?? gradients
        let norm = globalNorm(scaled)
        guard norm > 0, norm.isFinite else { return parameters }
        let factor = radius / norm
        return parameters.indices.map { i in
            // ASAM: T·(T g), so ε̂ = ρ T² g / ‖T g‖.
            let direction = scales.map { t in t[i] * scaled[i] } ?? gradients[i]
            return parameters[i] + factor * direction
        }
    }
}
