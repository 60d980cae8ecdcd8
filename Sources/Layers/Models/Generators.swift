import Tensors

/// A generator for learned samplers, named on the command line: `mlp[-W]` (VERA's MLP
/// generator, width W, 500 by default) or `deconv[-F]` (the deconvolutional generator of
/// DCGAN and MEG for 28×28 images, F base features, 64 by default), with the size of its
/// Gaussian latent. Its tensors carry PyTorch `nn.Sequential` names.
public struct GeneratorSpecification: Sendable, Equatable, Codable {
    /// Which network: VERA's MLP with hidden `width`, or the deconvolutional generator with `features` base channels.
    public enum Architecture: Sendable, Equatable, Codable {
        case mlp(width: Int)
        case deconv(features: Int)
    }

    /// The network and its width or base feature count.
    public var architecture: Architecture
    /// The length of the Gaussian latent z that each sample is generated from (1…65,536).
    public var latentSize: Int

    /// Parses `mlp`, `mlp-W`, `deconv` or `deconv-F`; nil for anything else or a latent size below 1.
    public init?(name: String, latentSize: Int) {
        let lower = name.lowercased()
        func width(after prefix: String, default value: Int) -> Int? {
            if lower == prefix { return value }
            guard lower.hasPrefix(prefix + "-"), let w = Int(lower.dropFirst(prefix.count + 1)),
                (1...65_536).contains(w)
            else { return nil }
            return w
        }
        if let w = width(after: "mlp", default: 500) {
            architecture = .mlp(width: w)
        } else if let f = width(after: "deconv", default: 64) {
            architecture = .deconv(features: f)
        } else {
            return nil
        }
        guard (1...65_536).contains(latentSize) else { return nil }
        self.latentSize = latentSize
    }

    /// The canonical name.
    public var name: String {
        switch architecture {
        case .mlp(let w): return w == 500 ? "mlp" : "mlp-\(w)"
        case .deconv(let f): return f == 64 ? "deconv" : "deconv-\(f)"
        }
    }

    /// Why this generator cannot produce samples of `shape` ([C, H, W] images, or [2] points), if it cannot.
    public func problem(producing shape: [Int]) -> String? {
        guard case .deconv = architecture else { return nil }
        return shape.count == 3 && shape[1] == 28 && shape[2] == 28
            ? nil
            : "the deconv generator makes 28×28 images, not samples of shape \(shape): use mlp"
    }

    /// A freshly initialised generator from latents [N, latentSize] to samples [N] + `shape`
    /// ([C, H, W] images in [−1, 1], or [2] points, unbounded). Check `problem(producing:)` first.
    public func make(producing shape: [Int], using generator: inout some RandomNumberGenerator) -> Sequential {
        precondition(problem(producing: shape) == nil, problem(producing: shape) ?? "")
        switch architecture {
        case .mlp(let width) where shape.count == 1:
            return Generators.pointMLP(latentSize: latentSize, width: width, outputSize: shape[0], using: &generator)
        case .mlp(let width):
            return Generators.imageMLP(latentSize: latentSize, width: width, shape: shape, using: &generator)
        case .deconv(let features):
            return Generators.deconvolutional(
                latentSize: latentSize, features: features, channels: shape[0], using: &generator)
        }
    }
}

/// The generator networks of the learned-sampler baselines (docs/research/learned-samplers.md).
public enum Generators {
    /// VERA's `large_mlp_generator`: [Linear(no bias) → BatchNorm1d → Softplus] × 3 at
    /// `width`, then Linear → Tanh, unflattened to `shape` [C, H, W].
    public static func imageMLP(
        latentSize: Int, width: Int, shape: [Int], using generator: inout some RandomNumberGenerator
    ) -> Sequential {
        var layers: [any Layer] = []
        var input = latentSize
        for _ in 0..<3 {
            layers += [
                Linear(inputSize: input, outputSize: width, bias: false, using: &generator), BatchNorm(channels: width),
                Softplus(),
            ]
            input = width
        }
        layers += [
            Linear(inputSize: width, outputSize: shape.reduce(1, *), using: &generator), Tanh(), Unflatten(shape),
        ]
        return Sequential(layers)
    }

    /// VERA's `small_mlp_generator` for 2-D points: [Linear(no bias) → BatchNorm1d → ReLU] × 2
    /// at `width`, then Linear to `outputSize` (no squashing: toy data is unbounded).
    public static func pointMLP(
        latentSize: Int, width: Int, outputSize: Int, using generator: inout some RandomNumberGenerator
    ) -> Sequential {
        Sequential([
            Linear(inputSize: latentSize, outputSize: width, bias: false, using: &generator),
            BatchNorm(channels: width), ReLU(),
            Linear(inputSize: width, outputSize: width, bias: false, using: &generator), BatchNorm(channels: width),
            ReLU(),
            Linear(inputSize: width, outputSize: outputSize, using: &generator),
        ])
    }

    /// The deconvolutional generator of MEG's MNIST experiments (DCGAN-style), F = `features`:
    /// Linear(latent → 8F·2·2) → BatchNorm1d → ReLU → 8F×2×2 → ConvT(8F→4F) 4×4 → ConvT(4F→2F)
    /// 7×7 → ConvT(2F→F) 14×14, each followed by BatchNorm2d and ReLU → ConvT(F→C) 28×28 →
    /// Tanh; every ConvT has kernel 5, stride 2, padding 2 (output padding 1 where the size doubles).
    public static func deconvolutional(
        latentSize: Int, features f: Int, channels: Int,
        using generator: inout some RandomNumberGenerator
    ) -> Sequential {
        var layers: [any Layer] = [
            Linear(inputSize: latentSize, outputSize: 8 * f * 2 * 2, using: &generator),
            BatchNorm(channels: 8 * f * 2 * 2), ReLU(),
            Unflatten([8 * f, 2, 2]),
        ]
        for (input, output, outputPadding) in [(8 * f, 4 * f, 1), (4 * f, 2 * f, 0), (2 * f, f, 1)] {
            layers += [
                ConvTranspose2D(
                    inputChannels: input, outputChannels: output, kernelSize: 5, stride: 2, padding: 2,
                    outputPadding: outputPadding, using: &generator),
                BatchNorm(channels: output), ReLU(),
            ]
        }
        layers += [
            ConvTranspose2D(
                inputChannels: f, outputChannels: channels, kernelSize: 5, stride: 2, padding: 2, outputPadding: 1,
                using: &generator), Tanh(),
        ]
        return Sequential(layers)
    }
}
