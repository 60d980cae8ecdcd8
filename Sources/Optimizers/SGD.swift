import Tensors

/// Stochastic gradient descent with PyTorch's semantics (`torch.optim.SGD`, dampening 0):
/// g ← g + λp; with momentum μ: b ← g (first step) or μb + g, then g ← g + μb (Nesterov) or b;
/// p ← p − ηg.
public struct SGD: Optimizer {
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    private var buffers = SlotState()

    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

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

    public var state: [String: Tensor] { buffers.named("momentum_buffer") }

    public mutating func restore(_ state: [String: Tensor]) throws {
        buffers = try SlotState.restore("momentum_buffer", from: state)
    }
}
