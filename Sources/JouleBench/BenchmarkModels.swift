import Layers
import Tensors

/// The benchmark models (design.md §5) as `joule train` builds them, and their work.
enum BenchmarkModels {
    /// `mlp` or `cnn-s` for 28×28 grey images and 10 classes, PyTorch-initialised from a fixed seed.
    static func make(_ name: String) -> AnyLayer {
        var generator = SeededGenerator(seed: 0)
        return ModelSpecification(name: name)!.make(channels: 1, height: 28, width: 28, classes: 10, using: &generator)
    }

    /// E(x) = −logsumexp f(x), one energy per example.
    static func energy(_ model: AnyLayer, _ x: Tensor) -> Tensor { -model(x).logSumExp(squeezingAxes: [1]) }

    /// Forward FLOPs (2 × multiply-adds of the linear and convolution layers) per image, for
    /// `mlp` and `cnn-s`; nil for other models (their rows report no rate).
    static func forwardFLOPsPerImage(_ name: String) -> Double? {
        switch name {
        case "mlp": return 2 * Double(784 * 512 + 512 * 512 + 512 * 10)
        case "cnn-s":
            let convs: [(Int, Int, Int)] = [(1, 64, 28), (64, 64, 14), (64, 128, 14), (128, 128, 7), (128, 256, 7)]
            return 2 * (convs.map { Double($0.0 * $0.1 * $0.2 * $0.2 * 9) }.reduce(0, +) + 2560)
        default: return nil
        }
    }
}
