import Layers
import Optimizers
import Tensors

/// The gradient an objective hands the optimiser: the loss's at the model's weights, or with
/// sharpness-aware minimisation (`--sam`) the loss's at the ascended weights w + ε̂, taken on
/// the same batch (and, for JEM, the same samples). The loss reported is the one at w; the
/// buffer updates (BatchNorm's running statistics) are the first pass's, and the second pass
/// draws the same dropout masks.
struct SharpnessAwareGradient {
    /// SAM's ascent; nil takes the plain gradient.
    let ascent: SharpnessAwareAscent?

    /// The loss at `model`, the gradient for the update, and the loss at the ascended weights
    /// (nil without SAM): `loss` is called once, or twice with SAM.
    func valueWithGradient(
        at model: AnyLayer, state: ForwardState, loss: (AnyLayer, ForwardContext) -> Tensor
    ) -> (loss: Tensor, gradient: AnyLayer, ascendedLoss: Float?) {
        let generator = state.generator
        let (value, gradient) = Tensors.valueWithGradient(at: model) { m in loss(m, ForwardContext(state: state)) }
        guard let ascent else { return (value, gradient, nil) }
        let ascended = model.replacingTensors(with: ascent.perturbed(model.tensors, gradients: gradient.tensors))
        let second = ForwardState(isTraining: state.isTraining, generator: generator)
        let (ascendedValue, ascendedGradient) = Tensors.valueWithGradient(at: ascended) { m in
            loss(m, ForwardContext(state: second))
        }
        return (value, ascendedGradient, ascendedValue.scalar)
    }

    /// The metric a SAM step logs: how much the loss rose at the ascended weights.
    static func metrics(loss: Tensor, ascendedLoss: Float?) -> [(String, Double)] {
        ascendedLoss.map { [("train/sam_loss_rise", Double($0 - loss.scalar))] } ?? []
    }
}
