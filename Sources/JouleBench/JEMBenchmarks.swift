import Layers
import Objectives
import Optimizers
import Sampling
import Tensors

/// One JEM iteration as the shared PyTorch reference times it (`torch_ref.JEM.step`):
/// 20 SGLD steps (η 1, σ 0.01) from a 10,000-entry replay buffer with 5% restarts, then
/// one Adam update on cross-entropy plus E(data) − E(samples) over the concatenated batch,
/// then the chains written back.
public enum JEMBenchmarks {
    public static func all() -> [Benchmark] {
        [iteration("mlp", batch: 64), iteration("cnn-s", batch: 64)]
    }

    static func iteration(_ name: String, batch: Int) -> Benchmark {
        Benchmark(name: "jem_iteration.\(name).b\(batch)", flops: nil,
                  note: "20 SGLD steps + update, buffer 10,000") {
            var generator = SeededGenerator(seed: 5)
            var model = BenchmarkModels.make(name)
            var optimizer = Adam()
            var chains = PersistentChains(
                buffer: ReplayBuffer(size: 10_000, sampleShape: [1, 28, 28], using: &generator),
                sgld: SGLD(steps: 20, stepSize: 1, noise: 0.01))
            let x = Tensor(randomUniform: [batch, 1, 28, 28], lower: -1, upper: 1, using: &generator)
            let labels = (0..<batch).map { $0 % 10 }
            return {
                let (samples, indices, _) = chains.sample(from: model, count: batch, using: &generator)
                let g = gradient(at: model) { m in
                    jemLoss(m, data: x, labels: labels, samples: samples, context: .inference()).loss
                }
                optimizer.update(&model, along: g, learningRate: 1e-4)
                chains.commit(samples, at: indices)
            }
        }
    }
}
