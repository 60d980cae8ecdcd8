import Settings

/// The settings almost every run sets: what trains on what, for how long, how fast, and its
/// seed. First in `joule train --help`.
@SettingsGroup(title: "Common options")
public struct CoreSettings: Sendable, Equatable {
    /// What the run trains (default: cross-entropy); a resumed run keeps it.
    @Setting(
        """
        ce (cross-entropy), jem (joint energy: p(y|x) + p(x) by SGLD), esm, ssm, ssm-vr, dsm, mdsm (score matching), \
        or vera, meg, kim-bengio (a learned sampler).
        """, resume: .fixed)
    public var objective: Objective = .ce
    /// The data the run learns from (default: Fashion-MNIST); a resumed run keeps it.
    @Setting("fashion-mnist, png:FOLDER (one subfolder per class), or toy:NAME (score matching).", resume: .fixed)
    public var dataset: DatasetName = .fashionMNIST
    /// The network trained (default: cnn-s); a resumed run keeps it.
    @Setting("mlp, cnn-s, wrn-D-W (e.g. wrn-16-4), or energy-mlp[-W] (score matching).", resume: .fixed)
    public var model: ModelName = ModelName(.cnnS)
    /// Passes over the training set (default: 10); `steps`, when set, takes its place.
    @Setting("Passes over the training set.")
    public var epochs: Int = 10
    /// Total optimiser steps; nil trains for `epochs` passes.
    @Setting("Total optimiser steps, overriding --epochs.")
    public var steps: Int?
    /// Training examples per step (default: 64), lowered to the training set's size when larger.
    @Setting("Examples per step.", resume: .fixed)
    public var batchSize: Int = 64
    /// The base learning rate (`lr`, default: 1e-3) that warm-up, the schedule and the divergence guard scale.
    @Setting("Learning rate.", key: "lr", aliases: ["learning-rate"])
    public var learningRate: Float = 1e-3
    /// The optimiser: Adam (default), AdamW or SGD; a resumed run keeps it.
    @Setting("adam, adamw or sgd.", resume: .fixed)
    public var optimizer: OptimizerKind = .adam
    /// How the learning rate decays after warm-up: constant (default), cosine to 0 over the run, or step.
    @Setting("constant, cosine or step.")
    public var schedule: ScheduleKind = .constant
    /// Steps over which the learning rate rises linearly to its full value, from 1/N of it (`warmup`; 0: none).
    @Setting("Linear warm-up steps.", key: "warmup", aliases: ["warmup-steps"])
    public var warmupSteps: Int = 0
    /// Seed of the run's random streams (initialisation, batches, augmentation, sampling); default 1.
    @Setting("Random seed.", resume: .fixed)
    public var seed: UInt64 = 1

    /// The defaults, as each setting declares them.
    public init() {}
}
