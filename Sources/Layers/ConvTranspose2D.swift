import Tensors

/// Transposed 2-D convolution with weight [in, out, k, k] and bias [out] (PyTorch's
/// `nn.ConvTranspose2d` layout and names): the upsampling layer of deconvolutional
/// generators. Output size (H − 1)·stride − 2·padding + k + outputPadding.
public struct ConvTranspose2D: Layer {
    /// The kernel, shaped [inputChannels, outputChannels, k, k] (PyTorch's transposed layout, name `weight`).
    public var weight: Tensor
    /// The per-output-channel bias [outputChannels], or nil for a layer without bias.
    public var bias: Tensor?
    /// The upsampling factor: the step between input positions in the output, the same along both axes.
    public let stride: Int
    /// Rows and columns cropped from every side of the full output (PyTorch's `padding`).
    public let padding: Int
    /// Extra rows and columns added on one side of the output (PyTorch's `output_padding`), to pick
    /// among the output sizes that a strided convolution maps to the same input size.
    public let outputPadding: Int

    /// PyTorch's default initialisation: uniform in ±1/√(out·k²) (PyTorch reads the fan-in
    /// of a transposed convolution's weight off its second dimension).
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        outputPadding: Int = 0, bias: Bool = true, using generator: inout some RandomNumberGenerator
    ) {
        let fanIn = outputChannels * kernelSize * kernelSize
        weight = Initialization.uniformFanIn(
            [inputChannels, outputChannels, kernelSize, kernelSize], fanIn: fanIn, using: &generator)
        self.bias = bias ? Initialization.uniformFanIn([outputChannels], fanIn: fanIn, using: &generator) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    /// A transposed convolution with the given tensors (e.g. loaded from a checkpoint); `bias` nil means none.
    public init(weight: Tensor, bias: Tensor?, stride: Int, padding: Int, outputPadding: Int) {
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    /// `input` [N, inputChannels, H, W] upsampled to [N, outputChannels, H′, W′], with
    /// H′ = (H − 1)·stride − 2·padding + k + outputPadding (and likewise W′).
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        convTranspose2d(input, weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
    }

    /// The layer with `weight` and `bias` (if any) transformed, named `prefix.weight` and `prefix.bias`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> ConvTranspose2D
    {
        ConvTranspose2D(
            weight: try transform(.named("weight", in: prefix), weight),
            bias: try bias.map { try transform(.named("bias", in: prefix), $0) },
            stride: stride, padding: padding, outputPadding: outputPadding)
    }
}
