extension ModelSpecification {
    /// Most trainable parameters a model may have (2^31, 8 GiB of Float32): past what this
    /// machine's memory holds even once, let alone with gradients and Adam's moments.
    public static let maximumParameterCount = 1 << 31

    /// Most values one input may hold (2^24, e.g. 3 × 2364 × 2364): a convolutional model's
    /// size does not depend on its input's, but every batch, sample and buffer does.
    public static let maximumInputElements = 1 << 24

    /// The trainable parameters `make(channels:height:width:classes:)` would create,
    /// counted without creating them: in Double, so absurd sizes (a checkpoint claiming a
    /// 2-billion-pixel input, `wrn-10000-100`) come out as large numbers rather than
    /// overflowing. `ModelSizeTests` checks it against built models of every architecture.
    public func parameterCount(channels: Int, height: Int, width: Int, classes: Int) -> Double {
        let (c, inputs, k) = (Double(channels), Double(channels) * Double(height) * Double(width), Double(classes))
        func linear(_ i: Double, _ o: Double) -> Double { i * o + o }
        func conv(_ i: Double, _ o: Double, _ kernel: Double) -> Double { i * o * kernel * kernel + o }
        switch architecture {
        case .mlp:
            return linear(inputs, 512) + linear(512, 512) + linear(512, k)
        case .energyMLP(let hidden):
            let w = Double(hidden)
            return linear(inputs, w) + linear(w, w) + linear(w, 1)
        case .cnnS:
            return conv(c, 64, 3) + conv(64, 64, 3) + conv(64, 128, 3) + conv(128, 128, 3) + conv(128, 256, 3)
                + linear(256, k)
        case .wideResNet(let depth, let widen):
            // Affine normalisations (group, batch) have a scale and a shift per channel.
            let norm: (Double) -> Double = normalization == .none ? { _ in 0 } : { 2 * $0 }
            let blocks = Double((depth - 4) / 6)
            let w = Double(widen)
            var total = conv(c, 16, 3)
            var channels = 16.0
            for output in [16 * w, 32 * w, 64 * w] {
                // The first block of a stage changes width (or stride) and so has a 1×1 shortcut.
                let first =
                    norm(channels) + conv(channels, output, 3) + norm(output) + conv(output, output, 3)
                    + (channels != output || output != 16 * w ? conv(channels, output, 1) : 0)
                let rest = norm(output) + conv(output, output, 3) + norm(output) + conv(output, output, 3)
                total += first + max(0, blocks - 1) * rest
                channels = output
            }
            return total + norm(channels) + linear(channels, k)
        }
    }
}

extension ModelSpecification {
    /// The model's parameter count (`parameterCount`), once it is known to be buildable:
    /// every extent and the class count at least 1, inputs of at most
    /// `maximumInputElements` values, at most `maximumParameterCount` parameters.
    @discardableResult
    public func checkSize(channels: Int, height: Int, width: Int, classes: Int) throws(ModelSizeError) -> Double {
        guard channels >= 1, height >= 1, width >= 1, classes >= 1 else {
            throw ModelSizeError(
                description:
                    "\(name) needs inputs and classes of at least 1 (got \(channels)×\(height)×\(width), \(classes) classes)"
            )
        }
        guard Double(channels) * Double(height) * Double(width) <= Double(Self.maximumInputElements) else {
            throw ModelSizeError(
                description:
                    "inputs of \(channels)×\(height)×\(width) values are more than the \(Self.maximumInputElements) a model here takes"
            )
        }
        let count = parameterCount(channels: channels, height: height, width: width, classes: classes)
        guard count <= Double(Self.maximumParameterCount) else {
            throw ModelSizeError(
                description: "\(name) for \(channels)×\(height)×\(width) inputs and \(classes) classes would have "
                    + "\(count.formatted(.number.notation(.scientific))) parameters, more than the \(Self.maximumParameterCount) this machine can train"
            )
        }
        return count
    }
}

/// A model too large (or malformed) to build, in words.
public struct ModelSizeError: Error, CustomStringConvertible, Equatable {
    /// The reason, in words, for error messages.
    public let description: String
}

extension GeneratorSpecification {
    /// The trainable parameters `make(producing:)` would create for samples of `shape`,
    /// counted without creating them (in Double, as `ModelSpecification.parameterCount`).
    public func parameterCount(producing shape: [Int]) -> Double {
        let latent = Double(latentSize)
        let output = shape.reduce(1.0) { $0 * Double($1) }
        func linear(_ i: Double, _ o: Double, bias: Bool = true) -> Double { i * o + (bias ? o : 0) }
        func batchNorm(_ c: Double) -> Double { 2 * c }
        switch architecture {
        case .mlp(let width) where shape.count == 1:
            let w = Double(width)
            return linear(latent, w, bias: false) + batchNorm(w) + linear(w, w, bias: false) + batchNorm(w)
                + linear(w, output)
        case .mlp(let width):
            let w = Double(width)
            return linear(latent, w, bias: false) + batchNorm(w) + 2 * (linear(w, w, bias: false) + batchNorm(w))
                + linear(w, output)
        case .deconv(let features):
            let f = Double(features)
            let channels = Double(shape.first ?? 1)
            func transposed(_ i: Double, _ o: Double) -> Double { i * o * 25 + o }
            return linear(latent, 32 * f) + batchNorm(32 * f)
                + transposed(8 * f, 4 * f) + batchNorm(4 * f) + transposed(4 * f, 2 * f) + batchNorm(2 * f)
                + transposed(2 * f, f) + batchNorm(f) + transposed(f, channels)
        }
    }
}
