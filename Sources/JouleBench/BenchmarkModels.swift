import Tensors

/// The two benchmark models of design.md §5, written directly on the engine (the layer
/// library of the next issue reproduces them): parameters with PyTorch's default
/// initialisation, U(−1/√fan_in, 1/√fan_in), and the logits f(x).
public struct BenchmarkModel: Sendable {
    public enum Kind: String, Sendable { case mlp, cnnS = "cnn-s" }
    public let kind: Kind
    public let parameters: [Tensor]

    public init(_ kind: Kind, seed: UInt64 = 0) {
        self.kind = kind
        var rng = SeededGenerator(seed: seed)
        func uniform(_ shape: [Int], fanIn: Int) -> Tensor {
            let bound = 1 / Float(fanIn).squareRoot()
            return Tensor(randomUniform: shape, lower: -bound, upper: bound, using: &rng)
        }
        var p: [Tensor] = []
        switch kind {
        case .mlp:
            for (i, o) in [(784, 512), (512, 512), (512, 10)] {
                p += [uniform([o, i], fanIn: i), uniform([o], fanIn: i)]
            }
        case .cnnS:
            for (i, o) in [(1, 64), (64, 64), (64, 128), (128, 128), (128, 256)] {
                p += [uniform([o, i, 3, 3], fanIn: i * 9), uniform([o], fanIn: i * 9)]
            }
            p += [uniform([10, 256], fanIn: 256), uniform([10], fanIn: 256)]
        }
        parameters = p
    }

    /// Logits for a batch [N, 1, 28, 28].
    public func logits(_ x: Tensor, parameters p: [Tensor]? = nil) -> Tensor {
        let p = p ?? parameters
        switch kind {
        case .mlp:
            var h = x.flattenedBatch()
            for layer in 0..<3 {
                h = matmul(h, p[2 * layer], transposeB: true) + p[2 * layer + 1]
                if layer < 2 { h = h.leakyReLU(negativeSlope: 0.2) }
            }
            return h
        case .cnnS:
            var h = x
            for (layer, stride) in [1, 2, 1, 2, 1].enumerated() {
                h = conv2d(h, p[2 * layer], bias: p[2 * layer + 1], stride: stride, padding: 1,
                           activation: .leakyReLU(negativeSlope: 0.2))
            }
            return matmul(h.globalAveragePooled(), p[10], transposeB: true) + p[11]
        }
    }

    /// E(x) = −logsumexp f(x), one energy per example.
    public func energy(_ x: Tensor) -> Tensor { -logits(x).logSumExp(squeezingAxes: [1]) }

    /// Forward FLOPs (2 × multiply-adds of the linear and convolution layers) per image.
    public var forwardFLOPsPerImage: Double {
        switch kind {
        case .mlp: return 2 * Double(784 * 512 + 512 * 512 + 512 * 10)
        case .cnnS:
            let convs: [(Int, Int, Int)] = [(1, 64, 28), (64, 64, 14), (64, 128, 14), (128, 128, 7), (128, 256, 7)]
            return 2 * (convs.map { Double($0.0 * $0.1 * $0.2 * $0.2 * 9) }.reduce(0, +) + 2560)
        }
    }
}
