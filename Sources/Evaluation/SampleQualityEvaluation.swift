import Foundation
import Layers
import Runs
import Tensors
import Uncertainty

/// `joule sample RUN --evaluate CLASSIFIER`: how good a run's class-conditional samples are,
/// as judged by an independently trained cross-entropy classifier of the same code. Fresh
/// chains start from Uniform(−1, 1) noise (not the replay buffer, which training shaped), the
/// same number per class and the same SGLD steps for every run compared, each chain drawn
/// toward its class by the conditional energy E(x, y) = −f(x)[y]. Then:
///
/// - conditional-sample accuracy: the share of samples the classifier puts in the class they
///   were drawn for;
/// - the Fréchet distance between Gaussians fitted to the classifier's penultimate features
///   of the samples and of the test set (a PNG folder's validation hold-out) — a Fashion-MNIST feature space, not Inception's, so
///   the numbers compare runs here and nothing published;
/// - improved precision and recall (Kynkäänniemi et al. 2019, k = 3) in that feature space.
public struct SampleQualityEvaluation {
    /// Chains per class (default: 100, so 1,000 samples for Fashion-MNIST).
    public var chainsPerClass = 100
    /// SGLD steps from noise (default: 100).
    public var steps = 100
    /// SGLD step size and noise; nil: the run's own.
    public var stepSize: Float?
    /// SGLD noise; nil: the run's own.
    public var noise: Float?
    /// Seeds the starting noise and the chains' noise.
    public var seed: UInt64 = 0
    /// The neighbour whose distance sets each precision/recall ball.
    public var neighbours = 3

    /// The numbers, and what they were measured on.
    public struct Result: Codable, Sendable, Equatable {
        /// The share of samples the classifier labels with the class they were drawn for.
        public var conditionalAccuracy: Double
        /// Fréchet distance (d², as FID reports it) of the samples' features to the test set's.
        public var frechetDistance: Double
        /// Share of samples inside the test set's feature manifold.
        public var precision: Double
        /// Share of test images inside the samples' feature manifold.
        public var recall: Double
        /// Samples drawn (chains per class × classes).
        public var sampleCount: Int
        /// Chains per class.
        public var chainsPerClass: Int
        /// The neighbour whose distance sets each precision/recall ball (k).
        public var neighbours: Int
        /// Test images the samples are compared with.
        public var realCount: Int
        /// SGLD from noise: steps, step size and noise.
        public var steps: Int
        /// SGLD step size η.
        public var stepSize: Float
        /// SGLD noise σ.
        public var noise: Float
        /// The judging classifier's checkpoint file.
        public var classifier: String
        /// The run the classifier checkpoint belongs to.
        public var classifierRun: String
        /// The measured run's checkpoint, and its step.
        public var checkpoint: String
        /// The training step of the measured checkpoint.
        public var checkpointStep: Int
        /// What the features are.
        public var featureSpace: String
    }

    /// Settings that draw 100 chains per class for 100 steps.
    public init() {}

    /// Draws the samples from `checkpoint` and measures them with `classifier`; returns the
    /// result with the samples and the class each was drawn for.
    public func run(
        _ checkpoint: TrainingCheckpoint, path: String, classifier: TrainingCheckpoint, classifierPath: String
    ) throws -> (result: Result, samples: Tensor, labels: [Int]) {
        guard !checkpoint.configuration.isUnconditionalEnergy else {
            throw EvaluationError.invalid(
                "\(checkpoint.configuration.core.objective.rawValue) trains an energy with no classes: there are no "
                    + "class-conditional samples to measure")
        }
        guard classifier.configuration.core.objective == .ce else {
            throw EvaluationError.invalid(
                "the judging classifier must be a cross-entropy run (\(classifierPath) is "
                    + "\(classifier.configuration.core.objective.rawValue)): one trained apart from the models it judges"
            )
        }
        let (judge, judgeShape, judgeClasses) = try classifier.makeModel(path: classifierPath)
        guard let features = judge.featureExtractor else {
            throw EvaluationError.invalid("\(classifierPath): this model exposes no penultimate features")
        }
        var generation = SampleGeneration()
        generation.start = .noise
        generation.perClass = true
        generation.columns = chainsPerClass
        generation.steps = steps
        generation.stepSize = stepSize
        generation.noise = noise
        generation.seed = seed
        let (samples, drawn) = try generation.run(checkpoint, path: path)
        let labels = drawn ?? []
        guard Array(samples.shape.dropFirst()) == judgeShape, (labels.max() ?? 0) < judgeClasses else {
            throw EvaluationError.invalid(
                "the classifier takes \(judgeShape) images of \(judgeClasses) classes; the run's samples are "
                    + "\(Array(samples.shape.dropFirst())) of \((labels.max() ?? 0) + 1)")
        }
        let data = try TrainingData.load(checkpoint.configuration)
        // The test split; a PNG folder has none, so its validation hold-out stands in.
        guard let test = data.test ?? data.validation else {
            throw EvaluationError.invalid("the run's dataset has neither a test split nor a validation hold-out")
        }
        let sampleFeatures = Self.inBatches(samples) { features($0, .inference()) }
        let realFeatures = Self.inBatches(test.batch(Array(0..<test.count)).images) { features($0, .inference()) }
        let predictions = Self.inBatches(samples) { judge($0, context: .inference()) }.rowArgmax()
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        let d = sampleFeatures.shape[1]
        let fd = FrechetDistance.squared(
            FrechetDistance.Moments(sampleFeatures.scalars, dimension: d),
            FrechetDistance.Moments(realFeatures.scalars, dimension: d))
        let (precision, recall) = ManifoldPrecisionRecall.measure(
            real: realFeatures, generated: sampleFeatures, k: neighbours)
        let settings = checkpoint.configuration.jem
        let result = Result(
            conditionalAccuracy: Double(correct) / Double(max(labels.count, 1)), frechetDistance: fd,
            precision: precision, recall: recall, sampleCount: labels.count, chainsPerClass: chainsPerClass,
            neighbours: neighbours, realCount: test.count, steps: steps,
            stepSize: stepSize ?? settings.sgldStepSize, noise: noise ?? settings.sgldNoise,
            classifier: classifierPath, classifierRun: classifier.progress.runID, checkpoint: path,
            checkpointStep: checkpoint.progress.step,
            featureSpace:
                "penultimate features (\(d)) of cross-entropy run \(classifier.progress.runID) on "
                + "\(classifier.configuration.core.dataset.settingText): a Fashion-MNIST space, not Inception's")
        return (result, samples, labels)
    }

    /// `body` of `images`, 500 at a time, concatenated.
    static func inBatches(_ images: Tensor, _ body: (Tensor) -> Tensor) -> Tensor {
        let n = images.shape[0]
        let parts = stride(from: 0, to: n, by: 500).map { start in
            withoutRecording { body(images.sliced(alongAxis: 0, range: start..<min(start + 500, n))) }
        }
        return concatenate(parts, alongAxis: 0)
    }
}
