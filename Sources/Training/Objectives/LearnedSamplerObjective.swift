import Datasets
import Foundation
import Layers
import Objectives
import Runs
import Tensors

/// `--objective vera|meg|kim-bengio`: an energy trained against a learned sampler (a
/// generator, its optimisers, VERA's posterior) in place of MCMC. Each step takes the energy's
/// loss on data and generator samples, then — after the energy's update — one generator step
/// against the updated energy. On a classifier the energy is JEM's (cross-entropy + the
/// energy difference, `LearnedSamplerLoss.jemEnergyLoss`), validated by accuracy; on a toy
/// density or an energy-mlp it is unconditional, validated by the MMD² of the generator's
/// samples against held-out data. Checkpoints carry the sampler under `state.sampler*`.
struct LearnedSamplerObjective: TrainingObjective {
    /// What the energy is.
    enum Examples {
        /// JEM's classifier, whose logits give E(x) = −logsumexp f(x).
        case classifier(ClassifierExamples)
        /// A single-output energy.
        case energy(EnergyExamples)
    }

    let examples: Examples
    let configuration: RunConfiguration
    var sampler: LearnedSampler
    /// The divergence guard's remedies in force.
    var remedies = DivergenceGuardState()

    /// A fresh sampler, from its own seeded stream.
    init(_ examples: Examples, configuration c: RunConfiguration) throws {
        if case .classifier(let images) = examples { try c.jem.validate(classes: images.classes) }
        self.examples = examples
        configuration = c
        sampler = try LearnedSamplerConstruction.fresh(c, sampleShape: Self.sampleShape(examples))
    }

    /// The shape of one generator sample: [2] for points, [C, H, W] for images.
    private static func sampleShape(_ examples: Examples) -> [Int] {
        switch examples {
        case .classifier(let images): images.inputShape
        case .energy(let energy): energy.data.sampleShape
        }
    }

    var inputShape: [Int] {
        switch examples {
        case .classifier(let images): images.inputShape
        case .energy(let energy): energy.data.inputShape
        }
    }

    var outputs: Int {
        if case .classifier(let images) = examples { return images.classes }
        return 1
    }

    var trainingCount: Int {
        switch examples {
        case .classifier(let images): images.data.train.count
        case .energy(let energy): energy.data.trainingCount
        }
    }

    var goal: ValidationGoal {
        if case .classifier = examples { return .highestAccuracy }
        return .lowestLoss
    }

    var extraState: [String: Tensor] { sampler.state }

    func prepare(_ progress: inout TrainingProgress) throws {
        if case .classifier(let images) = examples { try images.prepareLabelledBatches(&progress) }
    }

    mutating func restore(from checkpoint: TrainingCheckpoint, path: String) throws {
        sampler = try LearnedSamplerConstruction.restoring(
            configuration, sampleShape: Self.sampleShape(examples),
            state: checkpoint.extraState, path: path)
    }

    mutating func apply(_ remedies: DivergenceGuardState) { self.remedies = remedies }

    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch {
        switch examples {
        case .classifier(let images): images.batch(indices, progress: &progress, likelihood: .augmented)
        case .energy(let energy): energy.batch(indices, progress: &progress)
        }
    }

    /// Generator samples drawn per step for a batch of `batch`: as many, but at least two,
    /// because the generator's batch norm needs two values per unit (a last partial batch
    /// can hold one). The energy's loss averages data and samples separately.
    static func sampleCount(_ batch: Int) -> Int { max(batch, 2) }

    mutating func step(_ model: AnyLayer, batch: TrainingBatch, state: ForwardState, step: Int) throws -> StepResult {
        var generator = state.generator
        let started = DispatchTime.now().uptimeNanoseconds
        let negatives = sampler.negatives(count: Self.sampleCount(batch.count), using: &generator)
        state.generator = generator
        let sampled = DispatchTime.now().uptimeNanoseconds
        let penalty = sampler.settings.gradientPenalty
        guard case .classifier = examples else {
            let energySquared = configuration.jem.energySquaredWeight + remedies.addedEnergyL2
            var energies: (data: Float, samples: Float) = (0, 0)
            let (loss, gradient) = valueWithGradient(at: model) { m in
                let terms = LearnedSamplerLoss.energyTerms(
                    energy: ScalarEnergy.of(m), data: batch.inputs, samples: negatives,
                    gradientPenalty: penalty, energySquared: energySquared)
                energies = (terms.dataEnergy, terms.sampleEnergy)
                return terms.loss
            }
            return StepResult(
                loss: loss, gradient: gradient,
                metrics: [
                    ("sampler/data_energy", Double(energies.data)), ("sampler/sample_energy", Double(energies.samples)),
                ])
        }
        let labels = batch.labels ?? []
        var weights = configuration.jemWeights
        weights.energySquared += remedies.addedEnergyL2
        var terms: JEMTerms?
        let (loss, gradient) = valueWithGradient(at: model) { m -> Tensor in
            let result = LearnedSamplerLoss.jemEnergyLoss(
                m, data: batch.inputs, labels: labels, unlabeled: batch.unlabeled,
                negatives: negatives, weights: weights, gradientPenalty: penalty,
                context: ForwardContext(state: state))
            terms = result.terms
            return result.loss
        }
        let t =
            terms
            ?? JEMTerms(loss: loss.scalar, crossEntropy: .nan, accuracy: .nan, dataEnergy: .nan, sampleEnergy: .nan)
        return StepResult(
            loss: loss, gradient: gradient, correct: Int((t.accuracy * Float(labels.count)).rounded()),
            energyGap: t.energyGap,
            metrics: [
                ("train/cross_entropy", Double(t.crossEntropy)), ("jem/data_energy", Double(t.dataEnergy)),
                ("jem/sample_energy", Double(t.sampleEnergy)), ("jem/energy_gap", Double(t.energyGap)),
                ("time/sampling_seconds", Double(sampled - started) / 1e9),
                ("time/update_seconds", Double(DispatchTime.now().uptimeNanoseconds - sampled) / 1e9),
            ])
    }

    /// The generator's step against the energy just updated (held constant), its learning
    /// rate scaled as the energy's is (the schedule and any divergence remedy; VERA's
    /// posterior rate stays fixed, as in its code). A classifier's energy runs in training
    /// mode as the energy's step saw it, dropout and batch norm from a state of its own seeded
    /// by the step, so the run's stream is not drawn from.
    mutating func afterUpdate(
        _ model: AnyLayer, batch: TrainingBatch, step: Int, rateScale: Float,
        using rng: inout SeededGenerator
    ) -> [(String, Double)] {
        let energy: (Tensor) -> Tensor
        if case .classifier = examples {
            let state = ForwardState(
                isTraining: true,
                generator: SeededGenerator(seed: configuration.core.seed &+ UInt64(step) &* 0x9E37_79B9))
            energy = JointEnergyModel(model.detached, context: ForwardContext(state: state)).energyFunction
        } else {
            energy = ScalarEnergy.of(model.detached)
        }
        let s = sampler.settings
        let start = DispatchTime.now().uptimeNanoseconds
        let result = sampler.generatorStep(
            energy: energy, count: Self.sampleCount(batch.count),
            learningRate: s.generatorLearningRate * rateScale,
            posteriorLearningRate: s.posteriorLearningRate, using: &rng)
        var metrics: [(String, Double)] = [
            ("sampler/generator_loss", Double(result.loss)), ("sampler/entropy", Double(result.entropy)),
            ("sampler/generator_energy", Double(result.sampleEnergy)),
            ("time/generator_seconds", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9),
        ]
        if let sigma = sampler.sigma { metrics.append(("sampler/sigma", Double(sigma))) }
        return metrics
    }

    func validate(_ model: AnyLayer) throws -> Validation? {
        switch examples {
        case .classifier(let images): return images.validate(model)
        case .energy(let energy):
            guard let value = try energy.discrepancy(of: sampler, against: energy.data.validationPoints(upTo:)) else {
                return nil
            }
            return Validation(
                value: value, metrics: [("validation/mmd2", value)], text: String(format: "validation MMD² %.4f", value)
            )
        }
    }

    func pictures(_ model: AnyLayer, step: Int, folder: URL) throws -> [(url: URL, kind: String)] {
        switch examples {
        case .classifier:
            // Up to 64 generator samples in evaluation mode, from a fixed seed per step.
            var rng = SeededGenerator(seed: UInt64(step) &* 7_919)
            return try ClassifierExamples.sampleGrid(
                sampler.samples(count: 64, using: &rng), step: step, folder: folder)
        case .energy(let energy):
            return try energy.pictures(model, sampler: sampler, step: step, folder: folder)
        }
    }

    func test(final model: AnyLayer, best: URL?) throws -> TestResult? {
        switch examples {
        case .classifier(let images): return try images.test(final: model, best: best)
        case .energy(let energy):
            guard let best else { return nil }
            let bestSampler = try TrainingCheckpoint.read(from: best).learnedSampler(path: best.path)
            guard let loss = try energy.discrepancy(of: bestSampler, against: energy.data.testPoints(upTo:)) else {
                return nil
            }
            return TestResult(
                loss: loss, metrics: [("test/mmd2", loss)],
                note: String(format: "test MMD² %.4f (best-on-validation generator)", loss))
        }
    }
}
