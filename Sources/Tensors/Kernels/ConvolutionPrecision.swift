/// The number format convolutions multiply in.
///
/// With `bfloat16`, a convolution's forward and input-gradient passes round their two
/// inputs (the activations or output gradient, and the weights) to bfloat16 — float32's
/// exponent with 8 significant bits — and accumulate and write in float32, on oneDNN's
/// native bfloat16 kernels (AVX512_BF16, AMX): cnn-s's stride-2 layers run 2–3× faster, its
/// JEM iteration ≈ 25% faster (BENCHMARKS.md). Weight gradients, layers with fewer than 16
/// input channels (memory-bound: nothing to gain) and any CPU without native bfloat16
/// instructions (oneDNN would emulate them, slower) stay in float32.
///
/// Meant for an SGLD chain's gradient, whose own noise (σ = 0.01 per step) is far above
/// bfloat16's rounding of the inputs (a relative 2⁻⁹); the training update stays float32.
/// A pass reads the setting when it runs: a pullback called outside the scope computes in
/// float32, and a derivative of a bfloat16 gradient differentiates a rounded computation
/// as if it were exact (nothing differentiates the sampler's gradient today).
public enum ConvolutionPrecision: String, Sendable, Codable, CaseIterable {
    case float32
    case bfloat16

    /// The precision convolutions use here (float32 unless a caller set it).
    @TaskLocal public static var current: ConvolutionPrecision = .float32

    /// Whether this CPU runs oneDNN's bfloat16 convolutions natively; where it does not,
    /// `bfloat16` leaves every convolution in float32.
    public static let bfloat16IsNative: Bool = ConvolutionKernel.hasNativeBFloat16()
}

/// Runs `body` with convolutions in `precision` (see `ConvolutionPrecision`).
public func withConvolutionPrecision<R>(_ precision: ConvolutionPrecision, _ body: () throws -> R) rethrows -> R {
    try ConvolutionPrecision.$current.withValue(precision, operation: body)
}
