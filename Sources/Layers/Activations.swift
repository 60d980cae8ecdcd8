import Tensors

/// Layers without tensors: nothing to visit.
public protocol ParameterlessLayer: Layer {}

extension ParameterlessLayer {
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> Self {
        self
    }
}

/// max(x, αx) (PyTorch's `nn.LeakyReLU`; α = 0.2 in JEM's models).
public struct LeakyReLU: ParameterlessLayer {
    public let negativeSlope: Float
    public init(negativeSlope: Float = 0.2) { self.negativeSlope = negativeSlope }
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        input.leakyReLU(negativeSlope: negativeSlope)
    }
}

/// max(x, 0).
public struct ReLU: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.relu() }
}

/// x·σ(x).
public struct SiLU: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.silu() }
}

/// tanh(x): a generator's last layer for images in [−1, 1].
public struct Tanh: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.tanh() }
}

/// log(1 + eˣ) (PyTorch's `nn.Softplus` with β 1): VERA's MLP generator's activation.
public struct Softplus: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.softplus() }
}

/// [N, C·H·W] → [N, C, H, W] (PyTorch's `nn.Unflatten(1, (C, H, W))`): from a generator's
/// linear layer to its first feature map.
public struct Unflatten: ParameterlessLayer {
    public let shape: [Int]
    public init(_ shape: [Int]) { self.shape = shape }
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == shape.reduce(1, *),
            "Unflatten: input shape \(input.shape) does not hold [N, \(shape.reduce(1, *))] values")
        return input.reshaped(to: [input.shape[0]] + shape)
    }
}

/// The input unchanged (where a configuration switches a layer off, e.g. no normalisation).
public struct Identity: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input }
}

/// [N, …] → [N, rest] (PyTorch's `nn.Flatten`).
public struct Flatten: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.flattenedBatch() }
}

/// Mean over k×k windows (PyTorch's `nn.AvgPool2d(k, stride)`).
public struct AvgPool2D: ParameterlessLayer {
    public let kernelSize: Int
    public let stride: Int
    public init(kernelSize: Int, stride: Int? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        input.averagePooled(kernel: kernelSize, stride: stride)
    }
}

/// Mean over the spatial axes, keeping [N, C, 1, 1] (PyTorch's `nn.AdaptiveAvgPool2d(1)`).
public struct GlobalAvgPool2D: ParameterlessLayer {
    public init() {}
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        input.globalAveragePooled().reshaped(to: [input.shape[0], input.shape[1], 1, 1])
    }
}

/// Zeroes each element with probability p in training and scales the rest by 1/(1−p)
/// (inverted dropout, as PyTorch); the identity in evaluation.
public struct Dropout: ParameterlessLayer {
    public let probability: Float
    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) is outside [0, 1)")
        self.probability = probability
    }
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        guard context.state.isTraining, probability > 0 else { return input }
        let draws = Tensor(randomUniform: input.shape, using: &context.state.generator)
        return input * ((draws .> probability) * (1 / (1 - probability)))
    }
}
