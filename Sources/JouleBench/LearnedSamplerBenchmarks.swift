import Layers
import Objectives
import Optimizers
import Tensors

/// One JEM iteration with a learned sampler in place of SGLD, the work of a step of `joule
/// train --objective vera|meg|kim-bengio` on a classifier (in evaluation mode, like
/// `jem_iteration.*`, and at weights 1 and 1; neither changes the work for mlp and cnn-s):
/// generator samples, one Adam update of the classifier on cross-entropy + E(data) −
/// E(samples) + the gradient penalty (γ 0.1), then one generator step against the updated
/// energy (VERA: 20 importance samples and the posterior step). Beside `jem_iteration.*` this
/// is the per-iteration price of each sampler; the generator is VERA's MLP (3 × 500, latent 128), MEG's statistics network 128 wide.
public enum LearnedSamplerBenchmarks {
    /// The learned-sampler iteration at batch 64: VERA on mlp and cnn-s, MEG and Kim & Bengio on cnn-s.
    public static func all() -> [Benchmark] {
        [
            iteration(.vera, model: "mlp"), iteration(.vera, model: "cnn-s"), iteration(.meg, model: "cnn-s"),
            iteration(.kimBengio, model: "cnn-s"),
        ]
    }

    static func iteration(_ estimate: EntropyEstimate, model name: String, batch: Int = 64) -> Benchmark {
        Benchmark(
            name: "\(estimate.rawValue)_iteration.\(name).b\(batch)", flops: nil,
            note: "generator samples + update with gradient penalty + generator step"
        ) {
            var rng = SeededGenerator(seed: 5)
            var model = BenchmarkModels.make(name)
            var optimizer = Adam()
            var settings = LearnedSamplerSettings()
            settings.estimate = estimate
            settings.entropyWeight = 1e-4
            let generator = AnyLayer(
                GeneratorSpecification(name: "mlp", latentSize: 128)!.make(producing: [1, 28, 28], using: &rng))
            var sampler = LearnedSampler(settings: settings, generator: generator, sampleSize: 784, using: &rng)
            let x = Tensor(randomUniform: [batch, 1, 28, 28], lower: -1, upper: 1, using: &rng)
            let labels = (0..<batch).map { $0 % 10 }
            return {
                let negatives = sampler.negatives(count: batch, using: &rng)
                let g = gradient(at: model) { m in
                    LearnedSamplerLoss.jemEnergyLoss(
                        m, data: x, labels: labels, unlabeled: nil, negatives: negatives,
                        weights: JEMWeights(), gradientPenalty: 0.1, context: .inference()
                    ).loss
                }
                optimizer.update(&model, along: g, learningRate: 1e-4)
                _ = sampler.generatorStep(
                    energy: JointEnergyModel(model.detached).energyFunction, count: batch, learningRate: 1e-4,
                    posteriorLearningRate: 0.02, using: &rng)
            }
        }
    }
}
