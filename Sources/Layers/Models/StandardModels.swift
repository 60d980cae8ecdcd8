import Tensors

/// The models of design.md §5 as `Sequential`s whose tensor names equal PyTorch's for the
/// same `nn.Sequential` (see README: a checkpoint loads with `load_state_dict` as it is).
public enum StandardModels {
    /// `mlp`: Flatten, 784-512-512-10 with LeakyReLU(0.2) (sizes follow the input).
    /// PyTorch: `nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.LeakyReLU(0.2),
    /// nn.Linear(512, 512), nn.LeakyReLU(0.2), nn.Linear(512, 10))`.
    public static func mlp(
        inputSize: Int = 784, hidden: Int = 512, classes: Int = 10,
        using generator: inout some RandomNumberGenerator
    ) -> Sequential {
        Sequential([
            Flatten(),
            Linear(inputSize: inputSize, outputSize: hidden, using: &generator), LeakyReLU(negativeSlope: 0.2),
            Linear(inputSize: hidden, outputSize: hidden, using: &generator), LeakyReLU(negativeSlope: 0.2),
            Linear(inputSize: hidden, outputSize: classes, using: &generator),
        ])
    }

    /// `energy-mlp`: a smooth energy for score matching, Flatten → Linear(in→width) → SiLU →
    /// Linear(width→width) → SiLU → Linear(width→1). SiLU, not LeakyReLU: exact and sliced
    /// score matching need the Hessian ∇ₓ²E, which a piecewise-linear network has as zero
    /// almost everywhere.
    public static func energyMLP(inputSize: Int, width: Int = 128, using generator: inout some RandomNumberGenerator)
        -> Sequential
    {
        Sequential([
            Flatten(),
            Linear(inputSize: inputSize, outputSize: width, using: &generator), SiLU(),
            Linear(inputSize: width, outputSize: width, using: &generator), SiLU(),
            Linear(inputSize: width, outputSize: 1, using: &generator),
        ])
    }

    /// `cnn-s`, the benchmark model: conv3×3(c→64), conv3×3(64→64, stride 2),
    /// conv3×3(64→128), conv3×3(128→128, stride 2), conv3×3(128→256), each with padding 1 and
    /// LeakyReLU(0.2), global average pooling, linear(256→classes). No batch norm.
    /// PyTorch: the same `nn.Sequential` with `nn.AdaptiveAvgPool2d(1), nn.Flatten()` before
    /// the linear layer.
    public static func cnnS(
        inputChannels: Int = 1, classes: Int = 10,
        using generator: inout some RandomNumberGenerator
    ) -> Sequential {
        var layers: [any Layer] = []
        for (input, output, stride) in [
            (inputChannels, 64, 1), (64, 64, 2), (64, 128, 1), (128, 128, 2), (128, 256, 1),
        ] {
            layers.append(
                Conv2D(
                    inputChannels: input, outputChannels: output, kernelSize: 3, stride: stride, padding: 1,
                    using: &generator))
            layers.append(LeakyReLU(negativeSlope: 0.2))
        }
        layers +=
            [GlobalAvgPool2D(), Flatten(), Linear(inputSize: 256, outputSize: classes, using: &generator)]
            as [any Layer]
        return Sequential(layers)
    }
}
