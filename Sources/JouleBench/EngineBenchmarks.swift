import COpenBLAS
import Tensors

/// The engine's benchmarks (issue 2): GEMM, the two models' forward and
/// forward-plus-input-gradient passes (the inner step of SGLD), elementwise throughput and
/// autodiff bookkeeping per operation.
public enum EngineBenchmarks {
    /// GEMM (engine and raw CBLAS) at 256, 512 and 1024, cnn-s and mlp forward and input-gradient passes at
    /// batch 64 (cnn-s's also in bfloat16) and forward at batch 1000, LeakyReLU over 10⁷ values, and autodiff's
    /// bookkeeping per operation.
    public static func all() -> [Benchmark] {
        var list: [Benchmark] = []
        for n in [256, 512, 1024] { list += gemm(n) }
        for name in ["cnn-s", "mlp"] {
            list.append(modelForward(name, batch: 64))
            list.append(modelInputGradient(name, batch: 64))
            if name == "cnn-s" { list.append(modelInputGradient(name, batch: 64, precision: .bfloat16)) }
            // Inference at the shared reference's batch (its step d).
            list.append(modelForward(name, batch: 1000))
        }
        list.append(leakyReLU(count: 10_000_000))
        list.append(autodiffOverhead(operations: 2000))
        return list
    }

    static func gemm(_ n: Int) -> [Benchmark] {
        let flops = 2 * Double(n) * Double(n) * Double(n)
        let engine = Benchmark(name: "gemm.engine.\(n)", flops: flops) {
            var rng = SeededGenerator(seed: 1)
            let a = Tensor(randomNormal: [n, n], using: &rng)
            let b = Tensor(randomNormal: [n, n], using: &rng)
            return { _ = matmul(a, b) }
        }
        let raw = Benchmark(name: "gemm.cblas.\(n)", flops: flops) {
            let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
            let b = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
            let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
            for i in 0..<(n * n) {
                a[i] = Float(i % 7) - 3
                b[i] = Float(i % 5) - 2
            }
            OpenBLASSetup.prepare()
            return {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                    a, Int32(n), b, Int32(n), 0, c, Int32(n))
            }
        }
        return [engine, raw]
    }

    static func batch(_ size: Int) -> Tensor {
        var rng = SeededGenerator(seed: 2)
        return Tensor(randomUniform: [size, 1, 28, 28], lower: -1, upper: 1, using: &rng)
    }

    static func modelForward(_ name: String, batch size: Int) -> Benchmark {
        Benchmark(
            name: "\(name).forward.b\(size)",
            flops: BenchmarkModels.forwardFLOPsPerImage(name).map { $0 * Double(size) }
        ) {
            let model = BenchmarkModels.make(name)
            let x = batch(size)
            return { _ = withoutRecording { model(x) } }
        }
    }

    /// Forward plus ∇ₓ of the summed energy, weights held constant: SGLD's inner step, in
    /// float32 or with the sampler's bfloat16 convolutions.
    static func modelInputGradient(_ name: String, batch size: Int, precision: ConvolutionPrecision = .float32)
        -> Benchmark
    {
        Benchmark(
            name: "\(name).forward_input_gradient.b\(size)" + (precision == .float32 ? "" : ".\(precision.rawValue)"),
            flops: BenchmarkModels.forwardFLOPsPerImage(name).map { 2 * $0 * Double(size) }
        ) {
            let model = BenchmarkModels.make(name)
            let x = batch(size)
            return {
                withConvolutionPrecision(precision) { _ = gradient(at: x) { BenchmarkModels.energy(model, $0).sum() } }
            }
        }
    }

    static func leakyReLU(count: Int) -> Benchmark {
        Benchmark(name: "elementwise.leaky_relu.10M", flops: nil) {
            var rng = SeededGenerator(seed: 3)
            let x = Tensor(randomNormal: [count], using: &rng)
            return { _ = x.leakyReLU(negativeSlope: 0.2) }
        }
    }

    /// A chain of `operations` tiny recorded operations, differentiated: the time per
    /// operation of recording it and running its pullback (an upper bound on bookkeeping,
    /// since it includes the tiny kernels themselves).
    static func autodiffOverhead(operations: Int) -> Benchmark {
        var benchmark = Benchmark(
            name: "autodiff.overhead_per_op", flops: nil,
            note: "record + backward per op, chain of \(operations) ops on 4 elements"
        ) {
            let x = Tensor([0.1, 0.2, 0.3, 0.4], shape: [4])
            let c = Tensor([1.0001, 0.9999, 1.0, 1.0], shape: [4])
            return {
                _ = gradient(at: x) { x in
                    var h = x
                    for _ in 0..<(operations / 2) { h = h * c + x }
                    return h.sum()
                }
            }
        }
        benchmark.unitsPerRepetition = Double(operations)
        return benchmark
    }
}
