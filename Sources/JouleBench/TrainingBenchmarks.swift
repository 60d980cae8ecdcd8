import Layers
import Optimizers
import Tensors

/// One optimiser step of plain classifier training — forward, cross-entropy, backward,
/// Adam — on the library's layers (what `joule train --objective ce` runs per batch).
public enum TrainingBenchmarks {
    /// The classifier training step for mlp and cnn-s at batch 64, with its FLOP count (3 × the forward
    /// pass's) where the model's forward count is known.
    public static func all() -> [Benchmark] {
        [trainStep("mlp", batch: 64), trainStep("cnn-s", batch: 64)]
    }

    static func trainStep(_ name: String, batch: Int) -> Benchmark {
        let flops = BenchmarkModels.forwardFLOPsPerImage(name).map { 3 * $0 * Double(batch) }
        return Benchmark(name: "train_step.\(name).b\(batch)", flops: flops) {
            var generator = SeededGenerator(seed: 4)
            var model = BenchmarkModels.make(name)
            var optimizer = Adam()
            let x = Tensor(randomUniform: [batch, 1, 28, 28], lower: -1, upper: 1, using: &generator)
            let labels = (0..<batch).map { $0 % 10 }
            return {
                let g = gradient(at: model) { m in crossEntropy(logits: m(x, context: .inference()), labels: labels) }
                optimizer.update(&model, along: g, learningRate: 1e-4)
            }
        }
    }
}
