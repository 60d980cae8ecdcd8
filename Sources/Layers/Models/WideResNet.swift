import Tensors

/// Normalisation inside the wide ResNet, as JEM's `get_norm` offers it.
public enum NormalizationKind: String, Sendable, CaseIterable, Codable {
    /// None (JEM's default): the identity.
    case none
    /// `nn.GroupNorm(1, C)` — what JEM calls layer norm.
    case layer
    /// `nn.GroupNorm(min(32, C), C)` when that divides C (every width that is a multiple of
    /// 32, and all below 32); otherwise the largest group count below 32 that does — for
    /// `wrn-16-3`'s 48 channels, 24 — where PyTorch would refuse the layer.
    case group
    /// `nn.BatchNorm2d(C, momentum=0.9)` — for baselines (JEM uses momentum 0.9).
    case batch

    func make(channels: Int) -> any Layer {
        switch self {
        case .none: return Identity()
        case .layer: return GroupNorm(groups: 1, channels: channels)
        case .group:
            return GroupNorm(groups: (1...Swift.min(32, channels)).last { channels % $0 == 0 } ?? 1, channels: channels)
        case .batch: return BatchNorm(channels: channels, momentum: 0.9)
        }
    }
}

/// One pre-activation block of JEM's wide ResNet (`wide_basic`):
/// out = conv2(lrelu(bn2(dropout(conv1(lrelu(bn1(x))))))) + shortcut(x).
public struct WideBasicBlock: Layer {
    /// The normalisation before the first convolution (identity, GroupNorm or BatchNorm, from `NormalizationKind`).
    public var bn1: any Layer
    /// 3×3 convolution from the input to the output channels, stride 1, padding 1.
    public var conv1: Conv2D
    /// Dropout between the two convolutions; nil when the probability is 0.
    public var dropout: Dropout?
    /// The normalisation before the second convolution.
    public var bn2: any Layer
    /// 3×3 convolution carrying the block's stride (2 at the first block of stages 2 and 3, else 1), padding 1.
    public var conv2: Conv2D
    /// A 1×1 convolution when the shape changes (PyTorch name `shortcut.0`).
    public var shortcut: Conv2D?
    /// α of the LeakyReLU after each normalisation (0.2 in JEM).
    public let negativeSlope: Float

    /// A block from `inputChannels` to `outputChannels` at `stride`, with `normalization`, dropout probability
    /// `dropout` (0 for none) and LeakyReLU slope `negativeSlope`; convolutions get PyTorch's initialisation.
    public init(
        inputChannels: Int, outputChannels: Int, stride: Int, normalization: NormalizationKind,
        dropout: Float, negativeSlope: Float, using generator: inout some RandomNumberGenerator
    ) {
        bn1 = normalization.make(channels: inputChannels)
        conv1 = Conv2D(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1, using: &generator)
        self.dropout = dropout > 0 ? Dropout(probability: dropout) : nil
        bn2 = normalization.make(channels: outputChannels)
        conv2 = Conv2D(
            inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride,
            padding: 1, using: &generator)
        shortcut =
            stride != 1 || inputChannels != outputChannels
            ? Conv2D(
                inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, stride: stride,
                using: &generator)
            : nil
        self.negativeSlope = negativeSlope
    }

    /// The block applied to `input` [N, inputChannels, H, W], giving [N, outputChannels, ⌈H/stride⌉, ⌈W/stride⌉].
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        var out = bn1(input, context: context.child("bn1")).leakyReLU(negativeSlope: negativeSlope)
        out = conv1(out, context: context)
        if let dropout { out = dropout(out, context: context) }
        out = bn2(out, context: context.child("bn2")).leakyReLU(negativeSlope: negativeSlope)
        out = conv2(out, context: context)
        return out + (shortcut.map { $0(input, context: context) } ?? input)
    }

    /// The block with its tensors transformed, named as PyTorch names them under `prefix`: `bn1`, `conv1`,
    /// `bn2`, `conv2` and `shortcut.0`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> WideBasicBlock
    {
        func child(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        var copy = self
        copy.bn1 = try bn1.mapNamedTensors(prefix: child("bn1"), transform)
        copy.conv1 = try conv1.mapNamedTensors(prefix: child("conv1"), transform)
        copy.bn2 = try bn2.mapNamedTensors(prefix: child("bn2"), transform)
        copy.conv2 = try conv2.mapNamedTensors(prefix: child("conv2"), transform)
        copy.shortcut = try shortcut?.mapNamedTensors(prefix: child("shortcut.0"), transform)
        return copy
    }
}

/// JEM's pre-activation wide ResNet `wrn-D-W` (Zagoruyko & Komodakis 2016 as JEM's
/// `Wide_ResNet`): conv3×3(c→16), three stages of (D−4)/6 blocks with 16W, 32W, 64W
/// channels (strides 1, 2, 2), final norm and LeakyReLU, global average pooling (JEM's
/// `avg_pool2d(·, 8)` on 32×32 inputs), linear to the classes. Names follow the PyTorch
/// module: `conv1`, `layer1.0.conv1`, …, `bn1`, `linear`.
public struct WideResNet: FeatureExtracting {
    /// The stem: 3×3 convolution from the input channels to 16, padding 1.
    public var conv1: Conv2D
    /// The three stages (PyTorch's `layer1`…`layer3`), each (D − 4)/6 blocks with 16W, 32W and 64W channels.
    public var stages: [[WideBasicBlock]]
    /// The normalisation after the last stage (identity, GroupNorm or BatchNorm, from `NormalizationKind`).
    public var bn1: any Layer
    /// The classifier head: 64W pooled features to one logit per class.
    public var linear: Linear
    /// α of every LeakyReLU (0.2 by default, as in JEM).
    public let negativeSlope: Float

    /// A `wrn-depth-widen` network for `inputChannels`-channel images and `classes` outputs; `depth` must be 6n + 4
    /// (n ≥ 1) and `widen` ≥ 1. By default, as JEM's: no normalisation, no dropout, LeakyReLU slope 0.2.
    public init(
        depth: Int, widen: Int, inputChannels: Int = 1, classes: Int = 10,
        normalization: NormalizationKind = .none, dropout: Float = 0, negativeSlope: Float = 0.2,
        using generator: inout some RandomNumberGenerator
    ) {
        precondition(depth >= 10 && (depth - 4) % 6 == 0, "WideResNet: depth \(depth) is not 6n+4 (e.g. 16, 22, 28)")
        precondition(widen >= 1, "WideResNet: widen factor \(widen) must be ≥ 1")
        let blocks = (depth - 4) / 6
        let widths = [16, 16 * widen, 32 * widen, 64 * widen]
        conv1 = Conv2D(
            inputChannels: inputChannels, outputChannels: widths[0], kernelSize: 3, padding: 1, using: &generator)
        var stages: [[WideBasicBlock]] = []
        var channels = widths[0]
        for (stage, stride) in [1, 2, 2].enumerated() {
            var stageBlocks: [WideBasicBlock] = []
            for b in 0..<blocks {
                stageBlocks.append(
                    WideBasicBlock(
                        inputChannels: channels, outputChannels: widths[stage + 1],
                        stride: b == 0 ? stride : 1, normalization: normalization,
                        dropout: dropout, negativeSlope: negativeSlope, using: &generator))
                channels = widths[stage + 1]
            }
            stages.append(stageBlocks)
        }
        self.stages = stages
        bn1 = normalization.make(channels: channels)
        linear = Linear(inputSize: channels, outputSize: classes, using: &generator)
        self.negativeSlope = negativeSlope
    }

    /// Logits [N, classes] for images [N, inputChannels, H, W] (any H and W: the pooling is global).
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        linear(features(input, context: context), context: context)
    }

    /// The globally pooled output of the last stage [N, channels]: what the linear read-out sees.
    public func features(_ input: Tensor, context: ForwardContext) -> Tensor {
        var out = conv1(input, context: context)
        for (s, blocks) in stages.enumerated() {
            for (b, block) in blocks.enumerated() { out = block(out, context: context.child("layer\(s + 1).\(b)")) }
        }
        out = bn1(out, context: context.child("bn1")).leakyReLU(negativeSlope: negativeSlope)
        return out.globalAveragePooled()
    }

    /// The network with its tensors transformed, named as JEM's PyTorch module names them under `prefix`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> WideResNet
    {
        func child(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        var copy = self
        copy.conv1 = try conv1.mapNamedTensors(prefix: child("conv1"), transform)
        copy.stages = try stages.enumerated().map { s, blocks in
            try blocks.enumerated().map { b, block in
                try block.mapNamedTensors(prefix: child("layer\(s + 1).\(b)"), transform)
            }
        }
        copy.bn1 = try bn1.mapNamedTensors(prefix: child("bn1"), transform)
        copy.linear = try linear.mapNamedTensors(prefix: child("linear"), transform)
        return copy
    }
}
