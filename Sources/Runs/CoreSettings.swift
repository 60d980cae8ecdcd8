import Settings

/// The settings almost every run sets: what trains on what, for how long, how fast, and its
/// seed. First in `joule train --help`.
@SettingsGroup(title: "Common options")
public struct CoreSettings: Sendable, Equatable {
    @Setting(
        """
        ce (cross-entropy), jem (joint energy: p(y|x) + p(x) by SGLD), esm, ssm, ssm-vr, dsm, mdsm (score matching), \
        or vera, meg, kim-bengio (a learned sampler).
        """, resume: .fixed)
    public var objective: Objective = .ce
    @Setting("fashion-mnist, png:FOLDER (one subfolder per class), or toy:NAME (score matching).", resume: .fixed)
    public var dataset: DatasetName = .fashionMNIST
    @Setting("mlp, cnn-s, wrn-D-W (e.g. wrn-16-4), or energy-mlp[-W] (score matching).", resume: .fixed)
    public var model: ModelName = ModelName(.cnnS)
    @Setting("Passes over the training set.")
    public var epochs: Int = 10
    @Setting("Total optimiser steps, overriding --epochs.")
    public var steps: Int?
    @Setting("Examples per step.", resume: .fixed)
    public var batchSize: Int = 64
    @Setting("Learning rate.", key: "lr", aliases: ["learning-rate"])
    public var learningRate: Float = 1e-3
    @Setting("adam, adamw or sgd.", resume: .fixed)
    public var optimizer: OptimizerKind = .adam
    @Setting("constant, cosine or step.")
    public var schedule: ScheduleKind = .constant
    @Setting("Linear warm-up steps.", key: "warmup", aliases: ["warmup-steps"])
    public var warmupSteps: Int = 0
    @Setting("Random seed.", resume: .fixed)
    public var seed: UInt64 = 1

    public init() {}
}
