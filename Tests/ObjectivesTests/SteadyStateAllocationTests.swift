import Layers
import Optimizers
import Sampling
import Tensors
import Testing

@testable import Objectives

/// Issue 10: once warm, the SGLD loop and the JEM update take every tensor buffer from the
/// engine's pool; none is allocated afresh. In a child process, so that tests running side
/// by side cannot take the pool's free buffers of the same sizes.
@Suite struct SteadyStateAllocationTests {
    @Test func sgldAndJEMUpdateAllocateNoTensorBuffersOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var generator = SeededGenerator(seed: 11)
            var model = ModelSpecification(name: "cnn-s")!.make(
                channels: 1, height: 28, width: 28, classes: 10,
                using: &generator)
            var optimizer = Adam()
            // No restarts from noise: a restart draws a fresh batch, which warm-up may not have seen.
            var chains = PersistentChains(
                buffer: ReplayBuffer(size: 100, sampleShape: [1, 28, 28], reinitializationRate: 0, using: &generator),
                sgld: SGLD(steps: 3, stepSize: 1, noise: 0.01))
            let x = Tensor(randomUniform: [8, 1, 28, 28], lower: -1, upper: 1, using: &generator)
            let labels = (0..<8).map { $0 % 10 }
            func iterate() {
                let (samples, indices, _) = chains.sample(from: model, count: 8, using: &generator)
                let g = gradient(at: model) { m in
                    jemLoss(m, data: x, labels: labels, samples: samples, context: .inference()).loss
                }
                optimizer.update(&model, along: g, learningRate: 1e-4)
                chains.commit(samples, at: indices)
            }
            let warmUp = Kernels.tensorBufferAllocations { for _ in 0..<2 { iterate() } }
            precondition(warmUp > 0, "the first iterations should fill the pool")
            let steady = Kernels.tensorBufferAllocations { for _ in 0..<3 { iterate() } }
            precondition(steady == 0, "\(steady) tensor buffers allocated in three warm iterations")
        }
    }
}
