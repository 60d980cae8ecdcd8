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
    /// The JEM iteration for mlp and cnn-s at batch 64 (cnn-s also with bfloat16 SGLD), and the time cnn-s's
    /// iteration spends in its convolutions (all, and the direct ones only).
    public static func all() -> [Benchmark] {
        [
            iteration("mlp", batch: 64), iteration("cnn-s", batch: 64),
            iteration("cnn-s", batch: 64, precision: .bfloat16),
            convolutions("cnn-s", batch: 64), convolutions("cnn-s", batch: 64, directOnly: true),
        ]
    }

    static func iteration(_ name: String, batch: Int, steps: Int = 20, precision: ConvolutionPrecision = .float32)
        -> Benchmark
    {
        Benchmark(
            name: "jem_iteration.\(name).b\(batch)" + (precision == .float32 ? "" : ".\(precision.rawValue)_sampler"),
            flops: nil,
            note: "\(steps) SGLD steps + update, buffer 10,000"
                + (precision == .float32 ? "" : ", SGLD's convolutions in \(precision.rawValue)")
        ) {
            makeIteration(name, batch: batch, steps: steps, precision: precision)
        }
    }

    /// The convolution-bound part of the same iteration: time inside the convolution
    /// primitives per iteration, at the direct algorithm's FLOP count (issue 10's "per cent
    /// of the FMA peak"; compare with `fma_peak` from the same run). With `directOnly`, only
    /// the convolutions that ran oneDNN's direct kernels, whose FLOP count is the work they
    /// really did (Winograd's layers do fewer multiplications than they are credited with).
    static func convolutions(_ name: String, batch: Int, directOnly: Bool = false) -> Benchmark {
        .part(
            name: "jem_iteration.\(name).b\(batch).\(directOnly ? "direct_convolutions" : "convolutions")",
            note: directOnly
                ? "time inside the direct-algorithm convolutions; GFLOP/s they executed"
                : "time inside convolutions; GFLOP/s at direct-convolution FLOP"
        ) {
            let iterate = makeIteration(name, batch: batch, steps: 20)
            return {
                let summary = ConvolutionProfile.measure(iterate).summary
                return directOnly
                    ? (summary.directSeconds * 1e3, summary.directFLOPs) : (summary.seconds * 1e3, summary.flops)
            }
        }
    }

    /// A model, optimiser and replay buffer, and one JEM iteration over them.
    static func makeIteration(
        _ name: String, batch: Int, steps: Int, bufferSize: Int = 10_000,
        precision: ConvolutionPrecision = .float32
    ) -> () -> Void {
        var generator = SeededGenerator(seed: 5)
        var model = BenchmarkModels.make(name)
        var optimizer = Adam()
        var chains = PersistentChains(
            buffer: ReplayBuffer(size: bufferSize, sampleShape: [1, 28, 28], using: &generator),
            sgld: SGLD(steps: steps, stepSize: 1, noise: 0.01, precision: precision))
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
