import Tensors

/// Layers without tensors: nothing to visit.
public protocol ParameterlessLayer: Layer {}

extension ParameterlessLayer {
    /// The layer itself: it holds no parameters or buffers, so `transform` is never called.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> Self {
        self
    }
}

/// max(x, αx) (PyTorch's `nn.LeakyReLU`; α = 0.2 in JEM's models).
public struct LeakyReLU: ParameterlessLayer {
    /// α: the slope for negative inputs (0.2 in JEM's models; PyTorch's default is 0.01).
    public let negativeSlope: Float
    /// A leaky ReLU with slope `negativeSlope` below zero (0.2 by default, JEM's value).
    public init(negativeSlope: Float = 0.2) { self.negativeSlope = negativeSlope }
    /// max(x, αx) elementwise; any shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        input.leakyReLU(negativeSlope: negativeSlope)
    }
}

/// max(x, 0).
public struct ReLU: ParameterlessLayer {
    /// A ReLU (no settings).
    public init() {}
    /// max(x, 0) elementwise; any shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.relu() }
}

/// x·σ(x).
public struct SiLU: ParameterlessLayer {
    /// A SiLU (no settings).
    public init() {}
    /// x·σ(x) elementwise, σ the logistic sigmoid; any shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.silu() }
}

/// tanh(x): a generator's last layer for images in [−1, 1].
public struct Tanh: ParameterlessLayer {
    /// A tanh layer (no settings).
    public init() {}
    /// tanh(x) elementwise; any shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.tanh() }
}

/// log(1 + eˣ) (PyTorch's `nn.Softplus` with β 1): VERA's MLP generator's activation.
public struct Softplus: ParameterlessLayer {
    /// A softplus layer (no settings).
    public init() {}
    /// log(1 + eˣ) elementwise; any shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.softplus() }
}

/// [N, C·H·W] → [N, C, H, W] (PyTorch's `nn.Unflatten(1, (C, H, W))`): from a generator's
/// linear layer to its first feature map.
public struct Unflatten: ParameterlessLayer {
    /// The per-example shape to unflatten into, e.g. [C, H, W]; its product must equal the input's second axis.
    public let shape: [Int]
    /// A layer that reshapes [N, C·H·W] to [N] + `shape`.
    public init(_ shape: [Int]) { self.shape = shape }
    /// `input` [N, product of `shape`] reshaped to [N] + `shape`; traps on any other shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == shape.reduce(1, *),
            "Unflatten: input shape \(input.shape) does not hold [N, \(shape.reduce(1, *))] values")
        return input.reshaped(to: [input.shape[0]] + shape)
    }
}

/// The input unchanged (where a configuration switches a layer off, e.g. no normalisation).
public struct Identity: ParameterlessLayer {
    /// The identity layer (no settings).
    public init() {}
    /// `input`, unchanged.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input }
}

/// [N, …] → [N, rest] (PyTorch's `nn.Flatten`).
public struct Flatten: ParameterlessLayer {
    /// A flatten layer (no settings).
    public init() {}
    /// `input` [N, …] reshaped to [N, product of the other axes].
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { input.flattenedBatch() }
}

/// Mean over k×k windows (PyTorch's `nn.AvgPool2d(k, stride)`).
public struct AvgPool2D: ParameterlessLayer {
    /// k: the side of the square pooling window, in pixels.
    public let kernelSize: Int
    /// Pixels the window moves between outputs, along both axes (the kernel size unless given).
    public let stride: Int
    /// Average pooling over `kernelSize`×`kernelSize` windows; `stride` nil means the kernel size (as PyTorch).
    public init(kernelSize: Int, stride: Int? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }
    /// The window means of `input` [N, C, H, W], no padding: [N, C, ⌊(H − k)/stride⌋ + 1, ⌊(W − k)/stride⌋ + 1].
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        input.averagePooled(kernel: kernelSize, stride: stride)
    }
}

/// Mean over the spatial axes, keeping [N, C, 1, 1] (PyTorch's `nn.AdaptiveAvgPool2d(1)`).
public struct GlobalAvgPool2D: ParameterlessLayer {
    /// A global average pooling layer (no settings).
    public init() {}
    /// The mean of each channel of `input` [N, C, H, W], shaped [N, C, 1, 1].
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        input.globalAveragePooled().reshaped(to: [input.shape[0], input.shape[1], 1, 1])
    }
}

/// Zeroes each element with probability p in training and scales the rest by 1/(1−p)
/// (inverted dropout, as PyTorch); the identity in evaluation.
public struct Dropout: ParameterlessLayer {
    /// p: the chance that each element is zeroed in training, in [0, 1).
    public let probability: Float
    /// Dropout with probability `probability`, which must lie in [0, 1).
    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) is outside [0, 1)")
        self.probability = probability
    }
    /// In training, `input` with each element zeroed with probability p and the rest scaled by 1/(1−p), drawn from
    /// `context.state.generator`; in evaluation (or with p = 0), `input` unchanged.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        guard context.state.isTraining, probability > 0 else { return input }
        let draws = Tensor(randomUniform: input.shape, using: &context.state.generator)
        return input * ((draws .> probability) * (1 / (1 - probability)))
    }
}
