import Tensors

/// Transposed 2-D convolution with weight [in, out, k, k] and bias [out] (PyTorch's
/// `nn.ConvTranspose2d` layout and names): the upsampling layer of deconvolutional
/// generators. Output size (H − 1)·stride − 2·padding + k + outputPadding.
public struct ConvTranspose2D: Layer {
    public var weight: Tensor
    public var bias: Tensor?
    public let stride: Int
    public let padding: Int
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

    public init(weight: Tensor, bias: Tensor?, stride: Int, padding: Int, outputPadding: Int) {
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        convTranspose2d(input, weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
    }

    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> ConvTranspose2D
    {
        ConvTranspose2D(
            weight: try transform(.named("weight", in: prefix), weight),
            bias: try bias.map { try transform(.named("bias", in: prefix), $0) },
            stride: stride, padding: padding, outputPadding: outputPadding)
    }
}
