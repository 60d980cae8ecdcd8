import Tensors

/// 2-D convolution with weight [out, in, k, k] and bias [out] (PyTorch's `nn.Conv2d`
/// layout and names); square stride, symmetric padding. `Sequential` fuses a following
/// `LeakyReLU` into the convolution kernel.
public struct Conv2D: Layer {
    /// The kernel, shaped [outputChannels, inputChannels, k, k] (PyTorch name `weight`).
    public var weight: Tensor
    /// The per-output-channel bias [outputChannels], or nil for a convolution without bias.
    public var bias: Tensor?
    /// The step between kernel positions, the same along height and width.
    public let stride: Int
    /// Zero rows and columns added on every side of the input before convolving.
    public let padding: Int

    /// PyTorch's default initialisation: uniform in ±1/√(in·k²).
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        bias: Bool = true, using generator: inout some RandomNumberGenerator
    ) {
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = Initialization.uniformFanIn(
            [outputChannels, inputChannels, kernelSize, kernelSize], fanIn: fanIn, using: &generator)
        self.bias = bias ? Initialization.uniformFanIn([outputChannels], fanIn: fanIn, using: &generator) : nil
        self.stride = stride
        self.padding = padding
    }

    /// A convolution with the given tensors (e.g. loaded from a checkpoint); `bias` nil means none.
    public init(weight: Tensor, bias: Tensor?, stride: Int, padding: Int) {
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
    }

    /// `input` [N, inputChannels, H, W] convolved to [N, outputChannels, H′, W′], with
    /// H′ = ⌊(H + 2·padding − k) / stride⌋ + 1 (and likewise W′).
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        conv2d(input, weight, bias: bias, stride: stride, padding: padding)
    }

    /// The convolution with an activation fused into the same kernel.
    public func callAsFunction(_ input: Tensor, activation: ConvolutionActivation) -> Tensor {
        conv2d(input, weight, bias: bias, stride: stride, padding: padding, activation: activation)
    }

    /// The layer with `weight` and `bias` (if any) transformed, named `prefix.weight` and `prefix.bias`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> Conv2D {
        Conv2D(
            weight: try transform(.named("weight", in: prefix), weight),
            bias: try bias.map { try transform(.named("bias", in: prefix), $0) }, stride: stride, padding: padding)
    }
}
