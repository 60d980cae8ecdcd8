import Tensors
import Testing

@testable import JouleBench

/// The pieces behind issue 10's "per cent of the FMA peak": part timings, the convolution
/// profile and the peak loop.
@Suite struct PartBenchmarkTests {
    @Test func partBenchmarksReportTheirOwnTimesAndWork() {
        let runner = BenchmarkRunner(minimumSeconds: 0, minimumRepetitions: 5, warmUpRepetitions: 1)
        nonisolated(unsafe) var calls = 0
        let result = runner.run(
            .part(name: "part", note: nil) {
                {
                    calls += 1
                    return (milliseconds: Double(calls), flops: 4e6)
                }
            })
        // Warm-up: one call (at least 0.3 s of warm-up is spent there too, so more may run);
        // the five timed calls report consecutive milliseconds, median the third.
        let firstTimed = calls - 4
        #expect(result.repetitions == 5)
        #expect(result.medianMilliseconds == Double(firstTimed + 2))
        #expect(abs(result.gflops! - 4e6 / (Double(firstTimed + 2) / 1e3) / 1e9) < 1e-9)
    }

    @Test func convolutionProfileCountsDirectFLOPsOfEachCall() {
        var generator = SeededGenerator(seed: 1)
        let x = Tensor(randomNormal: [2, 3, 9, 9], using: &generator)
        let w = Tensor(randomNormal: [4, 3, 3, 3], using: &generator)
        let (_, summary) = ConvolutionProfile.measure {
            _ = conv2d(x, w, stride: 2, padding: 1)
            _ = conv2d(x, w, padding: 1)
        }
        // 2 × N·O·Ho·Wo·C·kH·kW: stride 2 gives 5×5 outputs, stride 1 gives 9×9.
        let expected = 2.0 * Double(2 * 4 * 3 * 9) * Double(5 * 5 + 9 * 9)
        #expect(summary.calls == 2)
        #expect(summary.flops == expected)
        #expect(summary.seconds > 0 && summary.gflops > 0)
        // Convolutions outside `measure` are not counted in the next one.
        _ = conv2d(x, w, padding: 1)
        #expect(ConvolutionProfile.measure { _ = conv2d(x, w, stride: 2, padding: 1) }.summary.calls == 1)
    }

    @Test func fmaPeakLoopDoesItsWork() {
        let result = BenchmarkRunner(minimumSeconds: 0, minimumRepetitions: 3, warmUpRepetitions: 1).run(
            MachinePeak.benchmark())
        #if arch(x86_64)
            // Every x86-64 machine this project runs on has AVX2 with FMA at least.
            #expect(result.gflops != nil && result.gflops! > 1)
        #endif
        #expect(result.repetitions == 3)
    }
}
