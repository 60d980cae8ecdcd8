import Tensors

/// y = x Wᵀ + b, with W [out, in] and b [out] (PyTorch's `nn.Linear` layout and names).
public struct Linear: Layer {
    /// The weight matrix W, shaped [outputSize, inputSize].
    public var weight: Tensor
    /// The bias b, shaped [outputSize], or nil for a layer without bias.
    public var bias: Tensor?

    /// PyTorch's default initialisation: W and b uniform in ±1/√in.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, using generator: inout some RandomNumberGenerator) {
        weight = Initialization.uniformFanIn([outputSize, inputSize], fanIn: inputSize, using: &generator)
        self.bias = bias ? Initialization.uniformFanIn([outputSize], fanIn: inputSize, using: &generator) : nil
    }

    /// A layer with the given tensors (e.g. loaded from a checkpoint); `bias` nil means none.
    public init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    /// x Wᵀ + b for `input` [N, inputSize], giving [N, outputSize]; traps on any other shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == weight.shape[1],
            "Linear: input shape \(input.shape) does not match weight shape \(weight.shape)")
        let y = matmul(input, weight, transposeB: true)
        return bias.map { y + $0 } ?? y
    }

    /// The layer with `weight` and `bias` (if any) transformed, named `prefix.weight` and `prefix.bias`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> Linear {
        Linear(
            weight: try transform(.named("weight", in: prefix), weight),
            bias: try bias.map { try transform(.named("bias", in: prefix), $0) })
    }
}

/// PyTorch's default initialisations.
public enum Initialization {
    /// Uniform in ±1/√fanIn: what `kaiming_uniform_(a=√5)` gives for weights and what
    /// PyTorch uses for biases of linear and convolution layers.
    public static func uniformFanIn(_ shape: [Int], fanIn: Int, using generator: inout some RandomNumberGenerator)
        -> Tensor
    {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return Tensor(randomUniform: shape, lower: -bound, upper: bound, using: &generator)
    }
}
