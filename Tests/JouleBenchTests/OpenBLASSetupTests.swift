import COpenBLAS
import Foundation
import Testing

@testable import JouleBench

/// The OpenBLAS reference of the benchmarks runs the kernels chosen for this CPU, and they
/// compute correct products.
@Suite struct OpenBLASSetupTests {
    @Test func coreSelectionMatchesCPUFlags() {
        #expect(
            OpenBLASSetup.preferredCore(flags: [
                "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd",
            ]) == "SkylakeX")
        #expect(OpenBLASSetup.preferredCore(flags: ["avx2", "fma"]) == "Haswell")
        #expect(OpenBLASSetup.preferredCore(flags: ["sse3"]) == nil)
    }

    @Test func selectedCoreMultipliesCorrectly() {
        OpenBLASSetup.prepare()
        let (m, n, k) = (67, 129, 300)
        let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 50 - 1 }
        let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 48 - 1 }
        var c = [Float](repeating: 0, count: m * n)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k),
            b, Int32(k), 0, &c, Int32(n))
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                let r = (0..<k).reduce(0.0) { $0 + Double(a[i * k + $1]) * Double(b[j * k + $1]) }
                worst = max(worst, abs(r - Double(c[i * n + j])) / (1 + abs(r)))
            }
        }
        #expect(worst < 1e-4, "core \(OpenBLASSetup.core): worst relative error \(worst)")
    }

    @Test func runnerReportsMediansAndRates() {
        let runner = BenchmarkRunner(minimumSeconds: 0, minimumRepetitions: 5, warmUpRepetitions: 1)
        let result = runner.run(Benchmark(name: "sleep", flops: 1e6) { { usleep(2000) } })
        #expect(result.repetitions == 5 && result.medianMilliseconds >= 2 && result.medianMilliseconds < 50)
        #expect(result.gflops! > 0 && result.gflops! < 1e6 / (2e-3) / 1e9 * 1.01)
    }
}
