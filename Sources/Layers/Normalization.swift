import Tensors

/// Normalises [N, C, …] over groups of channels (PyTorch's `nn.GroupNorm`):
/// y = (x − mean) / √(var + ε) · γ + β, statistics per example and group. With one group
/// this is the layer normalisation JEM's wide ResNet uses (`norm="layer"`).
public struct GroupNorm: Layer {
    /// γ: the per-channel scale, shaped [channels], initially ones.
    public var weight: Tensor
    /// β: the per-channel shift, shaped [channels], initially zeros.
    public var bias: Tensor
    /// The number of channel groups that share statistics; it divides the channel count.
    public let groups: Int
    /// ε added to the variance before the square root (1e-5 by default, as PyTorch).
    public let epsilon: Float

    /// Group normalisation of `channels` channels in `groups` groups (which must divide them), with γ = 1, β = 0.
    public init(groups: Int, channels: Int, epsilon: Float = 1e-5) {
        precondition(
            groups >= 1 && channels % groups == 0, "GroupNorm: \(channels) channels do not split into \(groups) groups")
        weight = .ones([channels])
        bias = .zeros([channels])
        self.groups = groups
        self.epsilon = epsilon
    }

    init(weight: Tensor, bias: Tensor, groups: Int, epsilon: Float) {
        (self.weight, self.bias, self.groups, self.epsilon) = (weight, bias, groups, epsilon)
    }

    /// `input` [N, C, …] normalised per example and group, then scaled and shifted per channel; same shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        let n = input.shape[0]
        let c = input.shape[1]
        precondition(
            c == weight.shape[0], "GroupNorm: input shape \(input.shape) does not have \(weight.shape[0]) channels")
        let grouped = input.reshaped(to: [n, groups, -1])
        let normalized = Normalization.standardize(grouped, axes: [2], epsilon: epsilon).reshaped(to: input.shape)
        let affineShape = [1, c] + Array(repeating: 1, count: input.rank - 2)
        return normalized * weight.reshaped(to: affineShape) + bias.reshaped(to: affineShape)
    }

    /// The layer with `weight` and `bias` transformed, named `prefix.weight` and `prefix.bias`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> GroupNorm
    {
        GroupNorm(
            weight: try transform(.named("weight", in: prefix), weight),
            bias: try transform(.named("bias", in: prefix), bias), groups: groups, epsilon: epsilon)
    }
}

/// Normalises over the last axis (PyTorch's `nn.LayerNorm(features)`), with γ and β.
public struct LayerNorm: Layer {
    /// γ: the scale per feature, shaped [features], initially ones.
    public var weight: Tensor
    /// β: the shift per feature, shaped [features], initially zeros.
    public var bias: Tensor
    /// ε added to the variance before the square root (1e-5 by default, as PyTorch).
    public let epsilon: Float

    /// Layer normalisation over a last axis of `features` values, with γ = 1, β = 0.
    public init(features: Int, epsilon: Float = 1e-5) {
        weight = .ones([features])
        bias = .zeros([features])
        self.epsilon = epsilon
    }

    init(weight: Tensor, bias: Tensor, epsilon: Float) {
        (self.weight, self.bias, self.epsilon) = (weight, bias, epsilon)
    }

    /// `input` […, features] standardised over its last axis, then scaled by γ and shifted by β; same shape.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        Normalization.standardize(input, axes: [input.rank - 1], epsilon: epsilon) * weight + bias
    }

    /// The layer with `weight` and `bias` transformed, named `prefix.weight` and `prefix.bias`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> LayerNorm
    {
        LayerNorm(
            weight: try transform(.named("weight", in: prefix), weight),
            bias: try transform(.named("bias", in: prefix), bias), epsilon: epsilon)
    }
}

/// Batch normalisation over [N, C, H, W] (PyTorch's `nn.BatchNorm2d`) or [N, C]
/// (`nn.BatchNorm1d`, as generators use it): batch statistics in training (running
/// averages updated with `momentum`, the unbiased variance as PyTorch keeps it), running
/// statistics in evaluation.
public struct BatchNorm: Layer {
    /// γ: the per-channel scale, shaped [C], initially ones.
    public var weight: Tensor
    /// β: the per-channel shift, shaped [C], initially zeros.
    public var bias: Tensor
    /// Running average of the batch means, shaped [C] (PyTorch's `running_mean`), used in evaluation; starts at 0.
    public var runningMean: Tensor
    /// Running average of the unbiased batch variances, shaped [C] (`running_var`), used in evaluation; starts at 1.
    public var runningVariance: Tensor
    /// Training batches seen, as a scalar tensor (`num_batches_tracked`); kept so state dicts match PyTorch's.
    public var batchesTracked: Tensor
    /// m: the new batch's weight in the running averages, r ← (1 − m)·r + m·batch (PyTorch's convention; 0.1 by
    /// default).
    public let momentum: Float
    /// ε added to the variance before the square root (1e-5 by default, as PyTorch).
    public let epsilon: Float

    /// Batch normalisation of `channels` channels: γ = 1, β = 0, running mean 0, running variance 1.
    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        weight = .ones([channels])
        bias = .zeros([channels])
        runningMean = .zeros([channels])
        runningVariance = .ones([channels])
        batchesTracked = Tensor(0)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// `input` [N, C, H, W] or [N, C] normalised per channel, then scaled and shifted; same shape. Training uses the
    /// batch statistics and records the running-average updates in `context.state.bufferUpdates`; evaluation uses
    /// the running statistics.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        let c = weight.shape[0]
        precondition(
            (input.rank == 4 || input.rank == 2) && input.shape[1] == c,
            "BatchNorm: input shape \(input.shape) is not [N, \(c), H, W] or [N, \(c)]")
        let perChannel = input.rank == 4 ? [1, c, 1, 1] : [1, c]
        let axes = input.rank == 4 ? [0, 2, 3] : [0]
        let mean: Tensor
        let variance: Tensor
        if context.state.isTraining {
            // As PyTorch: one value per channel has no spread to normalise by.
            precondition(
                input.scalarCount / c > 1,
                "BatchNorm: training needs more than one value per channel, got input shape \(input.shape)")
            mean = input.mean(alongAxes: axes)
            variance = (input - mean).squared().mean(alongAxes: axes)
            let count = Float(input.scalarCount / c)
            let unbiased = withoutDerivative(at: variance).reshaped(to: [c]) * (count / max(count - 1, 1))
            let m = momentum
            context.state.bufferUpdates[context.slotName("running_mean")] =
                runningMean * (1 - m) + withoutDerivative(at: mean).reshaped(to: [c]) * m
            context.state.bufferUpdates[context.slotName("running_var")] = runningVariance * (1 - m) + unbiased * m
            context.state.bufferUpdates[context.slotName("num_batches_tracked")] = batchesTracked + 1
        } else {
            mean = runningMean.reshaped(to: perChannel)
            variance = runningVariance.reshaped(to: perChannel)
        }
        let normalized = (input - mean) / (variance + epsilon).sqrt()
        return normalized * weight.reshaped(to: perChannel) + bias.reshaped(to: perChannel)
    }

    /// The layer with its tensors transformed under `prefix`: `weight` and `bias` as parameters, `running_mean`,
    /// `running_var` and `num_batches_tracked` as buffers.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> BatchNorm
    {
        var copy = self
        copy.weight = try transform(.named("weight", in: prefix), weight)
        copy.bias = try transform(.named("bias", in: prefix), bias)
        copy.runningMean = try transform(.named("running_mean", in: prefix, trainable: false), runningMean)
        copy.runningVariance = try transform(.named("running_var", in: prefix, trainable: false), runningVariance)
        copy.batchesTracked = try transform(.named("num_batches_tracked", in: prefix, trainable: false), batchesTracked)
        return copy
    }
}

enum Normalization {
    /// (x − mean) / √(var + ε) over `axes` (biased variance, as PyTorch normalises).
    static func standardize(_ x: Tensor, axes: [Int], epsilon: Float) -> Tensor {
        let centered = x - x.mean(alongAxes: axes)
        return centered / (centered.squared().mean(alongAxes: axes) + epsilon).sqrt()
    }
}
