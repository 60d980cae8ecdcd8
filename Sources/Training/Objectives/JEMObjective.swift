import Datasets
import Foundation
import Layers
import Objectives
import Runs
import Sampling
import Tensors

/// `--objective jem`: JEM with SGLD on persistent chains. A step samples from the replay
/// buffer with the parameters held constant, then takes the loss of data and samples in one
/// forward pass (cross-entropy + the energy difference, `jemLoss`), then commits the chains
/// back into the buffer, which checkpoints carry. Validated and tested as a classifier.
struct JEMObjective: TrainingObjective {
    static let bufferKey = TrainingCheckpoint.replayBufferKey
    let examples: ClassifierExamples
    let settings: JEMSettings
    var chains: PersistentChains
    /// The loss weights in force (the settings', plus any divergence remedy).
    var weights: JEMWeights

    /// A fresh buffer (Uniform(−1, 1), or per-class Gaussians fitted to the training set),
    /// from its own seeded stream.
    init(_ examples: ClassifierExamples) throws {
        let c = examples.configuration
        try c.jem.validate(classes: examples.classes)
        self.examples = examples
        settings = c.jem
        let train = examples.data.train
        var generator = SeededGenerator(seed: c.core.seed &+ 2)
        chains = PersistentChains(
            buffer: ReplayBuffer(
                size: settings.bufferSize, sampleShape: examples.inputShape,
                classes: settings.classConditional ? examples.classes : nil,
                reinitializationRate: settings.reinitializationRate,
                start: Self.start(settings, train: train, classes: examples.classes), using: &generator),
            sgld: settings.sgld)
        weights = settings.weights
    }

    var inputShape: [Int] { examples.inputShape }
    var outputs: Int { examples.classes }
    var trainingCount: Int { examples.data.train.count }
    var goal: ValidationGoal { .highestAccuracy }
    var extraState: [String: Tensor] { [Self.bufferKey: chains.buffer.samples] }

    func prepare(_ progress: inout TrainingProgress) throws { try examples.prepareLabelledBatches(&progress) }

    /// The buffer saved in the checkpoint.
    mutating func restore(from checkpoint: TrainingCheckpoint, path: String) throws {
        guard let samples = checkpoint.extraState[Self.bufferKey] else {
            throw TrainingError.badCheckpoint(path: path, problem: "no state.\(Self.bufferKey) for a JEM run")
        }
        let shape = [settings.bufferSize] + examples.inputShape
        guard samples.shape == shape else {
            throw TrainingError.badCheckpoint(
                path: path, problem: "state.\(Self.bufferKey) has shape \(samples.shape), expected \(shape)")
        }
        chains = PersistentChains(
            buffer: ReplayBuffer(
                samples: samples, classes: settings.classConditional ? examples.classes : nil,
                reinitializationRate: settings.reinitializationRate,
                start: Self.start(settings, train: examples.data.train, classes: examples.classes)),
            sgld: settings.sgld)
        weights = settings.weights
    }

    /// Applies the divergence guard's remedies on top of the settings.
    mutating func apply(_ remedies: DivergenceGuardState) {
        chains.sgld.steps = settings.sgldSteps + remedies.addedSGLDSteps
        weights.energySquared = settings.energySquaredWeight + remedies.addedEnergyL2
    }

    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch {
        examples.batch(
            indices, progress: &progress, likelihood: settings.marginalAugmentation ? .augmented : .clean)
    }

    /// SGLD draws from the step's stream (`state.generator`), as augmentation did, so a
    /// resumed run repeats it; buffer statistics are logged every 100 steps.
    mutating func step(_ model: AnyLayer, batch: TrainingBatch, state: ForwardState, step: Int) throws -> StepResult {
        let labels = batch.labels ?? []
        var generator = state.generator
        let result = jemStep(
            model, images: batch.inputs, labels: labels, unlabeled: batch.unlabeled, state: state,
            likelihoodShare: settings.marginalShare(atStep: step), generator: &generator)
        state.generator = generator
        var metrics = result.metrics
        if step % 100 == 0 { metrics += bufferMetrics }
        return StepResult(
            loss: result.loss, gradient: result.gradient,
            correct: Int((result.terms.accuracy * Float(labels.count)).rounded()), energyGap: result.energyGap,
            metrics: metrics)
    }

    func validate(_ model: AnyLayer) throws -> Validation? { examples.validate(model) }
    func test(final model: AnyLayer, best: URL?) throws -> TestResult? { try examples.test(final: model, best: best) }

    func pictures(_ model: AnyLayer, step: Int, folder: URL) throws -> [(url: URL, kind: String)] {
        try ClassifierExamples.sampleGrid(bufferSnapshot, step: step, folder: folder)
    }

    /// One step's loss and gradient, and what to log.
    mutating func jemStep(
        _ model: AnyLayer, images: Tensor, labels: [Int], unlabeled: Tensor?, state: ForwardState,
        likelihoodShare: Float = 1, generator: inout SeededGenerator
    )
        -> (loss: Tensor, gradient: AnyLayer, terms: JEMTerms, energyGap: Float?, metrics: [(String, Double)])
    {
        let start = DispatchTime.now().uptimeNanoseconds
        var weights = self.weights
        weights.marginal *= likelihoodShare
        weights.conditional *= likelihoodShare
        let needsSamples = weights.marginal != 0 || weights.conditional != 0 || weights.energySquared != 0
        // The p(x) term's share of the batch (`px-batch-size`): its first rows, and as many chains.
        let likelihoodCount = min(settings.marginalBatchSize ?? labels.count, labels.count)
        let sampleLabels = settings.classConditional ? Array(labels.prefix(likelihoodCount)) : nil
        var likelihoodImages = unlabeled
        if likelihoodCount < labels.count {
            let source = unlabeled ?? images
            likelihoodImages = source.sliced(alongAxis: 0, range: 0..<min(likelihoodCount, source.shape[0]))
        }
        var samples: Tensor?
        var indices: [Int] = []
        var gradientNorm: Float = 0
        if needsSamples {
            (samples, indices, gradientNorm) = chains.sample(
                from: model, count: likelihoodCount, labels: sampleLabels, using: &generator)
        }
        let sampled = DispatchTime.now().uptimeNanoseconds
        var terms: JEMTerms?
        let sam = SharpnessAwareGradient(ascent: examples.configuration.details.sharpnessAwareAscent)
        let (loss, gradient, ascended) = sam.valueWithGradient(at: model, state: state) { m, context -> Tensor in
            let result = jemLoss(
                m, data: images, labels: labels, unlabeledData: likelihoodImages, samples: samples,
                sampleLabels: sampleLabels,
                weights: weights, context: context)
            if terms == nil { terms = result.terms }  // the terms at w, not at SAM's ascended weights
            return result.loss
        }
        if let samples { chains.commit(samples, at: indices) }
        let finished = DispatchTime.now().uptimeNanoseconds
        let t =
            terms
            ?? JEMTerms(loss: loss.scalar, crossEntropy: .nan, accuracy: .nan, dataEnergy: .nan, sampleEnergy: .nan)
        let metrics: [(String, Double)] =
            [
                ("train/cross_entropy", Double(t.crossEntropy)), ("jem/data_energy", Double(t.dataEnergy)),
                ("jem/sample_energy", Double(t.sampleEnergy)), ("jem/energy_gap", Double(t.energyGap)),
                ("jem/sgld_gradient_norm", Double(gradientNorm)),
                ("time/sampling_seconds", Double(sampled - start) / 1e9),
                ("time/update_seconds", Double(finished - sampled) / 1e9),
            ] + SharpnessAwareGradient.metrics(loss: loss, ascendedLoss: ascended)
            + (likelihoodShare < 1 ? [("jem/px_weight", Double(weights.marginal))] : [])
        return (loss, gradient, t, needsSamples ? t.energyGap : nil, metrics)
    }

    /// Up to 64 chains spread evenly over the buffer (so every class's segment shows).
    var bufferSnapshot: Tensor {
        let size = chains.buffer.size
        let count = min(64, size)
        return chains.buffer.samples.gathering(atIndices: (0..<count).map { $0 * size / count }, alongAxis: 0)
    }

    /// Buffer statistics (a pass over the whole buffer: logged now and then, not every step).
    var bufferMetrics: [(String, Double)] {
        let s = chains.buffer.statistics
        return [("buffer/mean", Double(s.mean)), ("buffer/std", Double(s.standardDeviation))]
    }

    private static func start(_ settings: JEMSettings, train: ImageDataset, classes: Int)
        -> ReplayBuffer.StartDistribution
    {
        guard settings.bufferStart == .classGaussian else { return .uniform(lower: -1, upper: 1) }
        let (images, labels) = train.batch(Array(0..<train.count))
        return .classGaussians(ClassGaussians(fitting: images, labels: labels, classes: classes))
    }
}
