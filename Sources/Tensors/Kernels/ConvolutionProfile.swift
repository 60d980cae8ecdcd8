import Foundation

/// Time spent inside oneDNN's convolution primitives while a body runs on the calling
/// thread, and the work they did, for "how close to the FMA peak is the convolution-bound
/// part" figures.
///
/// Work is counted as the direct algorithm's multiply-adds ×2 whichever algorithm ran, so
/// Winograd layers (fewer multiplications for the same result) show as a rate above what
/// the arithmetic alone could reach; the direct layers' own figures are kept apart.
/// Recording waits for each convolution to finish, which oneDNN's CPU stream does anyway.
/// Per thread: convolutions that other threads run at the same time are not counted.
public enum ConvolutionProfile {
    /// What the convolutions of one body did.
    public struct Summary: Sendable, Equatable {
        /// Seconds inside convolution primitives, all algorithms.
        public var seconds: Double = 0
        /// Direct-algorithm FLOP of those convolutions.
        public var flops: Double = 0
        /// The part that ran oneDNN's direct (not Winograd) kernels.
        public var directSeconds: Double = 0
        /// Direct-algorithm FLOP of the direct convolutions alone (part of `flops`).
        public var directFLOPs: Double = 0
        /// Convolution calls.
        public var calls = 0

        /// Direct-equivalent rate, GFLOP/s.
        public var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
        /// Rate of the direct-algorithm convolutions alone, GFLOP/s (FLOP they really executed).
        public var directGFLOPs: Double { directSeconds > 0 ? directFLOPs / directSeconds / 1e9 : 0 }

        mutating func add(seconds: Double, flops: Double, winograd: Bool) {
            self.seconds += seconds
            self.flops += flops
            calls += 1
            if !winograd {
                directSeconds += seconds
                directFLOPs += flops
            }
        }
    }

    /// The summary a `measure` on this thread is filling.
    final class Recorder {
        var summary = Summary()
    }

    private static let key = "joule.convolutionProfile"

    /// The calling thread's recorder while `measure` runs there, else nil.
    static var recorder: Recorder? { Thread.current.threadDictionary[key] as? Recorder }

    /// Runs `body` and returns its result with what the convolutions it ran on this thread
    /// did. Does not nest.
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, summary: Summary) {
        let dictionary = Thread.current.threadDictionary
        precondition(dictionary[key] == nil, "ConvolutionProfile.measure does not nest")
        let recorder = Recorder()
        dictionary[key] = recorder
        defer { dictionary[key] = nil }
        let result = try body()
        return (result, recorder.summary)
    }
}
