import Foundation
import Tensors

/// Adam (Kingma & Ba 2015) with PyTorch's semantics; `decoupledWeightDecay` gives AdamW
/// (Loshchilov & Hutter 2019).
///
/// Adam:  g ← g + λp;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
///        p ← p − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
/// AdamW: p ← p(1 − ηλ) first, and no λp in g.
public struct Adam: Optimizer {
    /// β₁: the decay rate of the first-moment (mean) estimate m (0.9 by default).
    public var beta1: Float
    /// β₂: the decay rate of the second-moment (uncentred variance) estimate v (0.999 by default).
    public var beta2: Float
    /// ε added to the bias-corrected √v in the denominator, for numerical stability (1e-8 by default).
    public var epsilon: Float
    /// λ: the L2 penalty added to the gradient (Adam) or the decoupled decay rate (AdamW); 0 by default.
    public var weightDecay: Float
    /// True for AdamW: shrink the parameters by ηλ directly instead of adding λp to the gradient.
    public var decoupledWeightDecay: Bool
    /// t: the updates applied so far, for the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ (saved as `step`).
    public private(set) var step = 0
    private var firstMoments = SlotState()
    private var secondMoments = SlotState()

    /// Adam with PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay); see `adamW` for AdamW.
    public init(
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
        decoupledWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with PyTorch's default decay 0.01.
    public static func adamW(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01)
        -> Adam
    {
        Adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// One Adam step at learning rate η on `parameters`, given `gradients` of the same count and shapes; a
    /// parameter's moments start at zero on its first step.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor], learningRate: Float) {
        precondition(
            parameters.count == gradients.count, "Adam: \(parameters.count) parameters, \(gradients.count) gradients")
        step += 1
        let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
        let correction2Root = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
        let constants = UpdateKernels.AdamStep(
            learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
            decoupled: decoupledWeightDecay, correction1: correction1, correction2Root: correction2Root)
        for i in parameters.indices {
            // Taken out of the dictionaries so the kernel can update them in place.
            var m = firstMoments.slots.removeValue(forKey: i)
            var v = secondMoments.slots.removeValue(forKey: i)
            parameters[i] = UpdateKernels.adam(
                parameter: parameters[i], gradient: gradients[i],
                firstMoment: &m, secondMoment: &v, step: constants)
            firstMoments.slots[i] = m
            secondMoments.slots[i] = v
        }
    }

    /// The moments as `exp_avg.i` and `exp_avg_sq.i` (PyTorch's names, i the parameter index) plus `step`.
    public var state: [String: Tensor] {
        firstMoments.named("exp_avg").merging(secondMoments.named("exp_avg_sq")) { a, _ in a }
            .merging(["step": StepState.tensor(step)]) { a, _ in a }
    }

    /// Restores the moments and step saved by `state`; throws `OptimizerStateError` on a missing or invalid `step`
    /// or a moment key without a valid index.
    public mutating func restore(_ state: [String: Tensor]) throws {
        step = try StepState.restore(state)
        firstMoments = try SlotState.restore("exp_avg", from: state)
        secondMoments = try SlotState.restore("exp_avg_sq", from: state)
    }
}
