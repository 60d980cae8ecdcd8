import Layers
import Objectives
import Optimizers
import Tensors

/// One denoising-score-matching step as the shared PyTorch reference times it
/// (`torch_ref.dsm_step`): the classifier's energy E(x) = −logsumexp f(x) at x̃ = x + σε
/// (σ = 0.1), the loss ½‖−∇ₓE(x̃) − (x − x̃)/σ²‖² averaged over the batch, its weight
/// gradient (a gradient of a gradient), one Adam update.
public enum ScoreMatchingBenchmarks {
    /// The denoising-score-matching step (Vincent 2011) for mlp and cnn-s at batch 64.
    public static func all() -> [Benchmark] {
        [step("mlp", batch: 64), step("cnn-s", batch: 64)]
    }

    static func step(_ name: String, batch: Int) -> Benchmark {
        Benchmark(name: "dsm_step.\(name).b\(batch)", flops: nil, note: "σ 0.1, double backward + Adam") {
            var generator = SeededGenerator(seed: 6)
            var model = BenchmarkModels.make(name)
            var optimizer = Adam()
            let x = Tensor(randomUniform: [batch, 1, 28, 28], lower: -1, upper: 1, using: &generator)
            return {
                let g = gradient(at: model) { m in
                    ScoreMatching.denoising(
                        energy: { JointEnergy.energy(logits: m($0, context: .inference())) }, data: x,
                        sigma: 0.1, using: &generator)
                }
                optimizer.update(&model, along: g, learningRate: 1e-4)
            }
        }
    }
}
