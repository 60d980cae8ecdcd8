import Tensors

/// A model named on the command line: `mlp`, `cnn-s`, `wrn-D-W` (e.g. `wrn-16-4`) or
/// `energy-mlp[-W]` (a smooth single-output energy for score matching), plus the options
/// that shape it.
public struct ModelSpecification: Sendable, Equatable, Codable {
    /// The network family: the MLP, the small CNN `cnn-s`, a wide ResNet of `depth` and widen factor `widen`, or
    /// the smooth energy MLP of hidden `width`.
    public enum Architecture: Sendable, Hashable, Codable {
        case mlp
        case cnnS
        case wideResNet(depth: Int, widen: Int)
        case energyMLP(width: Int)
    }

    /// The network, with its depth and width where it has them.
    public var architecture: Architecture
    /// Normalisation for the wide ResNet.
    public var normalization: NormalizationKind
    /// Dropout probability for the wide ResNet's blocks.
    public var dropout: Float

    /// A model of `architecture`.
    public init(architecture: Architecture, normalization: NormalizationKind = .none, dropout: Float = 0) {
        self.architecture = architecture
        self.normalization = normalization
        self.dropout = dropout
    }

    /// Parses `mlp`, `cnn-s` or `wrn-D-W`; nil for anything else.
    public init?(name: String, normalization: NormalizationKind = .none, dropout: Float = 0) {
        switch name.lowercased() {
        case "mlp": architecture = .mlp
        case "cnn-s", "cnns", "cnn_s": architecture = .cnnS
        case "energy-mlp": architecture = .energyMLP(width: 128)
        case let other where other.hasPrefix("energy-mlp-"):
            guard let width = Int(other.dropFirst("energy-mlp-".count)), (1...65_536).contains(width) else {
                return nil
            }
            architecture = .energyMLP(width: width)
        default:
            let parts = name.lowercased().split(separator: "-")
            guard parts.count == 3, parts[0] == "wrn", let depth = Int(parts[1]), let widen = Int(parts[2]),
                depth >= 10, (depth - 4) % 6 == 0, widen >= 1
            else { return nil }
            architecture = .wideResNet(depth: depth, widen: widen)
        }
        self.normalization = normalization
        self.dropout = dropout
    }

    /// The canonical name.
    public var name: String {
        switch architecture {
        case .mlp: return "mlp"
        case .cnnS: return "cnn-s"
        case .wideResNet(let d, let w): return "wrn-\(d)-\(w)"
        case .energyMLP(let width): return width == 128 ? "energy-mlp" : "energy-mlp-\(width)"
        }
    }

    /// Whether the network is piecewise linear in its input (LeakyReLU/ReLU), so that its
    /// input Hessian is zero almost everywhere.
    public var isPiecewiseLinear: Bool {
        if case .energyMLP = architecture { return false }
        return true
    }

    /// A freshly initialised model for inputs [N, channels, height, width] and `classes` outputs
    /// (an `energy-mlp` always has one).
    public func make(
        channels: Int, height: Int, width: Int, classes: Int,
        using generator: inout some RandomNumberGenerator
    ) -> AnyLayer {
        switch architecture {
        case .mlp:
            return AnyLayer(
                StandardModels.mlp(inputSize: channels * height * width, classes: classes, using: &generator))
        case .cnnS: return AnyLayer(StandardModels.cnnS(inputChannels: channels, classes: classes, using: &generator))
        case .wideResNet(let depth, let widen):
            return AnyLayer(
                WideResNet(
                    depth: depth, widen: widen, inputChannels: channels, classes: classes,
                    normalization: normalization, dropout: dropout, using: &generator))
        case .energyMLP(let hidden):
            return AnyLayer(
                StandardModels.energyMLP(inputSize: channels * height * width, width: hidden, using: &generator))
        }
    }
}
