import Tensors

/// Issue 10's third model, `wrn-16-4`, through every loop the issue names: a plain training
/// step, a DSM step and a JEM iteration (5 SGLD steps) at batch 64, inference at batch 256.
/// Minutes of work, so not in the default list: `joule bench --filter wrn-16-4`.
public enum WideResNetBenchmarks {
    /// `wrn-16-4`'s training step, DSM step and JEM iteration at batch 64, and its forward pass at batch 256.
    public static func all() -> [Benchmark] {
        [
            TrainingBenchmarks.trainStep("wrn-16-4", batch: 64), ScoreMatchingBenchmarks.step("wrn-16-4", batch: 64),
            JEMBenchmarks.iteration("wrn-16-4", batch: 64, steps: 5),
            EngineBenchmarks.modelForward("wrn-16-4", batch: 256),
        ]
    }
}
