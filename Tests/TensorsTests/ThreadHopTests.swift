import Foundation
import Testing

@testable import Tensors

/// The engine plans each oneDNN primitive once and runs it from whichever thread asks
/// next (a Swift task resumes on any thread; tests run side by side). With oneDNN's
/// default scratchpad, which belongs to the creating thread, a primitive that needs scratch
/// space crashed or corrupted the heap when run on another thread; the engine now hands
/// every primitive its own scratchpad buffer (`DNNL.execute`).
@Suite struct ThreadHopTests {
    /// The input gradient of a one-input-channel convolution under a plain cotangent runs
    /// oneDNN's GEMM-based backward-data kernel, which keeps its im2col matrix in the
    /// scratchpad. Planned on one new thread, run again on another: in a child process, so
    /// that a crash fails this test rather than the whole run.
    @Test func aPrimitivePlannedOnOneThreadRunsOnAnother() async {
        await #expect(processExitsWith: .success) {
            let x = randomTensor([2, 1, 23, 19], seed: 91)
            let w = randomTensor([48, 1, 5, 5], seed: 92, scale: 0.2)
            let r = randomTensor([2, 48, 23, 19], seed: 93)
            let inputGradient: @Sendable () -> [Float] = {
                gradient(at: x) { x in (conv2d(x, w, stride: 1, padding: 2) * r).sum() }.scalars
            }
            func onNewThread(_ body: @escaping @Sendable () -> [Float]) -> [Float] {
                let done = DispatchSemaphore(value: 0)
                nonisolated(unsafe) var result: [Float] = []
                let thread = Thread {
                    result = body()
                    done.signal()
                }
                thread.start()
                done.wait()
                return result
            }
            let first = onNewThread(inputGradient)
            let second = onNewThread(inputGradient)
            precondition(first == second, "the same primitive gave other values on another thread")
        }
    }
}
