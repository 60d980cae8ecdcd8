import Tensors

/// How a JEM iteration's cost grows (issue 10): time per iteration against batch size,
/// SGLD steps and model width, and resident memory against replay-buffer size and batch.
/// Not in the default list (they take minutes); `joule bench --filter growth` runs them and
/// `bench/cost-growth.sh` runs the memory rows one process each, for peak resident sizes
/// (its loop names the same buffer sizes and batches as `bufferSizes` and `memoryBatches`).
public enum CostGrowthBenchmarks {
    static let batches = [16, 32, 64, 128, 256]
    static let steps = [5, 10, 20, 50, 100]
    /// Wide ResNets of depth 16 at widening factors 1, 2 and 4 (`wrn-16-4` is issue 10's
    /// third model), 5 SGLD steps each to keep the row short.
    static let widths = [1, 2, 4]
    static let bufferSizes = [1_000, 10_000, 50_000, 100_000]
    static let memoryBatches = [16, 64, 256]

    /// The JEM iterations of every growth row: mlp, cnn-s and cnn-s with bfloat16 SGLD against batch size
    /// and SGLD steps, wrn-16-1/2/4 against width, and cnn-s's resident memory against buffer size and batch.
    public static func all() -> [Benchmark] {
        var list: [Benchmark] = []
        for model in ["mlp", "cnn-s", "cnn-s" + bfloat16Suffix] {
            for batch in batches { list.append(iteration(model, batch: batch, steps: 20)) }
            for k in steps where k != 20 { list.append(iteration(model, batch: 64, steps: k)) }
        }
        for widen in widths {
            for suffix in ["", bfloat16Suffix] {
                list.append(iteration("wrn-16-\(widen)" + suffix, batch: 64, steps: 5))
            }
        }
        for size in bufferSizes {
            for batch in memoryBatches {
                list.append(iteration("cnn-s", batch: batch, steps: 20, bufferSize: size, memory: true))
            }
        }
        return list
    }

    /// A model name ending in this runs with JEM's default sampler (its SGLD convolutions in
    /// bfloat16): a column of the time tables.
    static let bfloat16Suffix = "-bf16"

    /// One JEM iteration (as `jem_iteration.*`) at the given sizes.
    static func iteration(_ model: String, batch: Int, steps: Int, bufferSize: Int = 10_000, memory: Bool = false)
        -> Benchmark
    {
        let name =
            memory ? "growth.memory.\(model).buffer\(bufferSize).b\(batch)" : "growth.jem.\(model).b\(batch).k\(steps)"
        let bfloat16 = model.hasSuffix(bfloat16Suffix)
        return Benchmark(
            name: name, flops: nil,
            note: "\(steps) SGLD steps + update, buffer \(bufferSize)"
                + (bfloat16 ? ", SGLD's convolutions in bfloat16" : "")
        ) {
            JEMBenchmarks.makeIteration(
                bfloat16 ? String(model.dropLast(bfloat16Suffix.count)) : model, batch: batch, steps: steps,
                bufferSize: bufferSize,
                precision: bfloat16 ? .bfloat16 : .float32)
        }
    }
}
