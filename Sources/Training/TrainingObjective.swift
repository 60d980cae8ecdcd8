import Foundation
import Layers
import Runs
import Tensors

/// One kind of training — cross-entropy, JEM's SGLD replay, a learned sampler, score
/// matching — as the training loop (`Trainer`) sees it: the batch it learns from, the loss
/// and gradient of a step, what happens after the update, how the run is validated and
/// tested, and the state its checkpoints carry. Everything else (the optimiser, the schedule,
/// the divergence guard, checkpoints, progress, signals, recording) belongs to the loop, which
/// knows no objective by name.
///
/// An objective is a value: the divergence guard keeps a copy of it with the model and rolls
/// both back together.
public protocol TrainingObjective {
    /// The network's input shape [C, H, W] (points are 1×1×2) and outputs (classes, or 1 for
    /// an energy).
    var inputShape: [Int] { get }
    var outputs: Int { get }
    /// How many examples an epoch passes over.
    var trainingCount: Int { get }
    /// Which validation value marks the best checkpoint.
    var goal: ValidationGoal { get }
    /// What checkpoints carry besides the model and the optimiser (the replay buffer, the
    /// learned sampler), under `state.*` names.
    var extraState: [String: Tensor] { get }

    /// Sets up a fresh run's progress (semi-supervised runs' labelled batches).
    func prepare(_ progress: inout TrainingProgress) throws
    /// Takes the objective's state from the checkpoint a run resumes from.
    mutating func restore(from checkpoint: TrainingCheckpoint, path: String) throws
    /// The divergence guard's remedies in force from now on.
    mutating func apply(_ remedies: DivergenceGuardState)

    /// The examples of `indices` (the loop's batch), augmented with `progress.generator`.
    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch
    /// The loss of one batch and its gradient with respect to `model`; randomness comes from
    /// `state.generator` (which the loop carries on), and `step` is the step being taken.
    mutating func step(_ model: AnyLayer, batch: TrainingBatch, state: ForwardState, step: Int) throws -> StepResult
    /// What follows the optimiser's update of `model` on `batch` (a learned sampler's
    /// generator step), with the learning rate's scale at this step; what to log.
    mutating func afterUpdate(
        _ model: AnyLayer, batch: TrainingBatch, step: Int, rateScale: Float,
        using generator: inout SeededGenerator
    ) -> [(String, Double)]

    /// The model measured on the validation set; nil without one.
    func validate(_ model: AnyLayer) throws -> Validation?
    /// The epoch's pictures under `folder` (sample grids, a density), with their artifact kinds.
    func pictures(_ model: AnyLayer, step: Int, folder: URL) throws -> [(url: URL, kind: String)]
    /// The run measured on the test set at its end: the final model and the best-on-validation
    /// checkpoint (when there is one); nil without a test set.
    func test(final model: AnyLayer, best: URL?) throws -> TestResult?
}

extension TrainingObjective {
    /// By default, no state beyond the model and the optimiser.
    public var extraState: [String: Tensor] { [:] }
    /// By default, nothing to set up.
    public func prepare(_ progress: inout TrainingProgress) throws {}
    /// By default, nothing to restore: the objective keeps no state of its own.
    public mutating func restore(from checkpoint: TrainingCheckpoint, path: String) throws {}
    /// By default, the remedies change nothing (the loop scales the learning rate itself).
    public mutating func apply(_ remedies: DivergenceGuardState) {}
    /// By default, nothing follows the update and nothing is logged.
    public mutating func afterUpdate(
        _ model: AnyLayer, batch: TrainingBatch, step: Int, rateScale: Float,
        using generator: inout SeededGenerator
    ) -> [(String, Double)] { [] }
    /// By default, no pictures.
    public func pictures(_ model: AnyLayer, step: Int, folder: URL) throws -> [(url: URL, kind: String)] { [] }
}

/// One step's examples: inputs, labels for classifiers, and the p(x) term's own images where
/// they differ (a semi-supervised run's unlabelled inputs, or clean images when augmentation
/// feeds cross-entropy only).
public struct TrainingBatch {
    /// The step's examples, [N, C, H, W] images or [N, 2] points, augmented; the labelled ones in a
    /// semi-supervised run.
    public var inputs: Tensor
    /// The class of each input, for classifiers; nil for an energy.
    public var labels: [Int]?
    /// The images of the p(x) term when they are not `inputs`: a semi-supervised run's unlabelled
    /// batch, or the unaugmented images (`--no-px-augmentation`); nil otherwise.
    public var unlabeled: Tensor?

    /// A batch of `inputs`, with labels for classifiers and unlabelled inputs for semi-supervised runs.
    public init(inputs: Tensor, labels: [Int]? = nil, unlabeled: Tensor? = nil) {
        self.inputs = inputs
        self.labels = labels
        self.unlabeled = unlabeled
    }

    /// Examples in the step's loss.
    public var count: Int { labels?.count ?? inputs.shape[0] }
}

/// What one step computed.
public struct StepResult {
    /// The mini-batch loss (a scalar tensor) whose gradient the step takes; the divergence guard checks it.
    public var loss: Tensor
    /// The loss's gradient with respect to every parameter, laid out as the model itself.
    public var gradient: AnyLayer
    /// Correct predictions in the batch, for classifiers.
    public var correct: Int?
    /// Mean energy of data minus that of samples, where samples were drawn (the guard bounds it).
    public var energyGap: Float?
    /// What else to log at this step.
    public var metrics: [(String, Double)]

    /// The result of one step; `correct`, `energyGap` and `metrics` only where the objective has them.
    public init(
        loss: Tensor, gradient: AnyLayer, correct: Int? = nil, energyGap: Float? = nil, metrics: [(String, Double)] = []
    ) {
        self.loss = loss
        self.gradient = gradient
        self.correct = correct
        self.energyGap = energyGap
        self.metrics = metrics
    }
}

/// Which validation value is best.
public enum ValidationGoal: Sendable {
    /// Classifiers: the highest accuracy (`TrainingProgress.bestValidationAccuracy`).
    case highestAccuracy
    /// Energies: the lowest loss or discrepancy (`TrainingProgress.bestValidationLoss`).
    case lowestLoss
}

/// A validation result: the value the goal compares, what to log, and how the epoch's line says it.
public struct Validation {
    /// The number the goal compares to pick the best checkpoint: accuracy, or a loss or MMD².
    public var value: Double
    /// What to log under their metric names, e.g. `validation/loss`.
    public var metrics: [(String, Double)]
    /// The validation's part of the epoch's progress line, e.g. "validation loss 0.3120 acc 0.9100".
    public var text: String

    /// A validation result from its parts.
    public init(value: Double, metrics: [(String, Double)], text: String) {
        self.value = value
        self.metrics = metrics
        self.text = text
    }
}

/// A test result: the summary's test figures, what to log, and the line that reports them.
public struct TestResult {
    /// Test accuracy of the best-on-validation model (the final model without one); nil for energies.
    public var accuracy: Double?
    /// Test accuracy of the final model; nil for energies.
    public var finalAccuracy: Double?
    /// An energy's test value (its objective, or MMD² for a learned sampler); nil for classifiers.
    public var loss: Double?
    /// What to log under their metric names, e.g. `test/accuracy`.
    public var metrics: [(String, Double)]
    /// The line the progress reporter writes with the test figures.
    public var note: String

    /// A test result from its parts; each figure nil where the objective does not measure it.
    public init(
        accuracy: Double? = nil, finalAccuracy: Double? = nil, loss: Double? = nil, metrics: [(String, Double)],
        note: String
    ) {
        self.accuracy = accuracy
        self.finalAccuracy = finalAccuracy
        self.loss = loss
        self.metrics = metrics
        self.note = note
    }
}
