import Dispatch

/// Time spent inside oneDNN's convolution primitives while a body runs, and the work they
/// did, for "how close to the FMA peak is the convolution-bound part" figures.
///
/// Work is counted as the direct algorithm's multiply-adds ×2 whichever algorithm ran, so
/// Winograd layers (fewer multiplications for the same result) show as a rate above what
/// the arithmetic alone could reach; the direct layers' own figures are kept apart.
/// Recording waits for each convolution to finish, which oneDNN's CPU stream does anyway.
public enum ConvolutionProfile {
    /// What the convolutions of one body did.
    public struct Summary: Sendable, Equatable {
        /// Seconds inside convolution primitives, all algorithms.
        public var seconds: Double = 0
        /// Direct-algorithm FLOP of those convolutions.
        public var flops: Double = 0
        /// The part that ran oneDNN's direct (not Winograd) kernels.
        public var directSeconds: Double = 0
        public var directFLOPs: Double = 0
        /// Convolution calls.
        public var calls = 0

        /// Direct-equivalent rate, GFLOP/s.
        public var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
        /// Rate of the direct-algorithm convolutions alone, GFLOP/s (FLOP they really executed).
        public var directGFLOPs: Double { directSeconds > 0 ? directFLOPs / directSeconds / 1e9 : 0 }
    }

    nonisolated(unsafe) private(set) static var isRecording = false
    nonisolated(unsafe) private static var current = Summary()

    /// Runs `body` and returns its result with what its convolutions did. Not reentrant;
    /// convolutions run under `DNNL.lock`, so the counts need no lock of their own.
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, summary: Summary) {
        precondition(!isRecording, "ConvolutionProfile.measure does not nest")
        current = Summary()
        isRecording = true
        defer { isRecording = false }
        let result = try body()
        return (result, current)
    }

    static func add(seconds: Double, flops: Double, winograd: Bool) {
        current.seconds += seconds
        current.flops += flops
        current.calls += 1
        if !winograd {
            current.directSeconds += seconds
            current.directFLOPs += flops
        }
    }
}
