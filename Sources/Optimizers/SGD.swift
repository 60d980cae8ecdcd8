import Tensors

/// Stochastic gradient descent with PyTorch's semantics (`torch.optim.SGD`, dampening 0):
/// g ← g + λp; with momentum μ: b ← g (first step) or μb + g, then g ← g + μb (Nesterov) or b;
/// p ← p − ηg.
public struct SGD: Optimizer {
    /// μ: the momentum factor; 0 (the default) for plain SGD.
    public var momentum: Float
    /// Use Nesterov momentum (Sutskever et al. 2013, as PyTorch); needs μ > 0.
    public var nesterov: Bool
    /// λ: the L2 penalty coefficient, added to the gradient as λp (0 by default).
    public var weightDecay: Float
    private var buffers = SlotState()

    /// SGD with PyTorch's defaults: no momentum, no Nesterov, no weight decay; traps on Nesterov without momentum.
    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// One SGD step at learning rate η on `parameters`, given `gradients` of the same count and shapes.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor], learningRate: Float) {
        precondition(
            parameters.count == gradients.count, "SGD: \(parameters.count) parameters, \(gradients.count) gradients")
        withoutRecording {
            for i in parameters.indices {
                var g = gradients[i]
                if weightDecay != 0 { g = g + parameters[i] * weightDecay }
                if momentum != 0 {
                    let b = buffers.slots[i].map { $0 * momentum + g } ?? g
                    buffers.slots[i] = b
                    g = nesterov ? g + b * momentum : b
                }
                parameters[i] = parameters[i] - g * learningRate
            }
        }
    }

    /// The momentum buffers as `momentum_buffer.i` (PyTorch's name, i the parameter index); empty without momentum.
    public var state: [String: Tensor] { buffers.named("momentum_buffer") }

    /// Restores the momentum buffers saved by `state`; throws `OptimizerStateError` on a key without a valid index.
    public mutating func restore(_ state: [String: Tensor]) throws {
        buffers = try SlotState.restore("momentum_buffer", from: state)
    }
}
