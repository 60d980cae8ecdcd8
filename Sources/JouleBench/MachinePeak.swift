import CJouleKernels
import Dispatch
import Tensors

/// The machine's measured FP32 fused-multiply-add peak: independent vector FMA chains on
/// every engine thread at once (AVX-512 where the CPU has it, else AVX2). The yardstick for
/// "per cent of peak" figures, measured rather than taken from a data sheet, because the
/// project's machine changes between sessions and boost clocks depend on load.
public enum MachinePeak {
    /// Rounds of the C loop per thread per repetition (about 3 ms on a 4 GHz core with two
    /// 512-bit FMA pipes).
    static let roundsPerThread = 2_000_000

    /// FLOP one repetition does on `threads` threads.
    static func flops(threads: Int) -> Double {
        Double(threads * roundsPerThread) * 12 * 2 * Double(joule_fma_lanes())
    }

    /// One repetition: every thread runs the loop once, concurrently.
    static func run(threads: Int) {
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            _ = joule_fma_peak_loop(roundsPerThread)
        }
    }

    /// `fma_peak`: GFLOP/s of the loop on `Kernels.threadCount` threads.
    public static func benchmark() -> Benchmark {
        let threads = Kernels.threadCount
        return Benchmark(
            name: "fma_peak", flops: joule_fma_lanes() > 0 ? flops(threads: threads) : nil,
            note: "\(threads) threads, \(joule_fma_lanes() * 32)-bit FMA, 12 chains"
        ) {
            { run(threads: threads) }
        }
    }
}
