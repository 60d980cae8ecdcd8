import Datasets
import Foundation
import Layers
import Objectives
import Runs
import Sampling
import Tensors

/// What `--objective jem` adds to a training run: the persistent chains, and one JEM step
/// (sample from the buffer with the parameters held constant, then the loss of data and
/// samples in one forward pass, then the chains back into the buffer).
struct JEMTraining {
    static let bufferKey = TrainingCheckpoint.replayBufferKey
    let settings: JEMSettings
    var chains: PersistentChains
    /// The loss weights in force (the settings', plus any divergence remedy).
    var weights: JEMWeights

    /// A fresh buffer (Uniform(−1, 1), or per-class Gaussians fitted to `train`).
    init(settings: JEMSettings, train: ImageDataset, classes: Int, generator: inout SeededGenerator) {
        self.settings = settings
        let start = Self.start(settings, train: train, classes: classes)
        chains = PersistentChains(
            buffer: ReplayBuffer(size: settings.bufferSize, sampleShape: [train.channels, train.height, train.width],
                                 classes: settings.classConditional ? classes : nil,
                                 reinitializationRate: settings.reinitializationRate, start: start, using: &generator),
            sgld: settings.sgld)
        weights = settings.weights
    }

    /// The buffer saved in a checkpoint.
    init(settings: JEMSettings, restoring samples: Tensor, train: ImageDataset, classes: Int, path: String) throws {
        let shape = [settings.bufferSize, train.channels, train.height, train.width]
        guard samples.shape == shape else {
            throw TrainingError.badCheckpoint(path: path, problem: "state.\(Self.bufferKey) has shape \(samples.shape), expected \(shape)")
        }
        self.settings = settings
        chains = PersistentChains(
            buffer: ReplayBuffer(samples: samples, classes: settings.classConditional ? classes : nil,
                                 reinitializationRate: settings.reinitializationRate,
                                 start: Self.start(settings, train: train, classes: classes)),
            sgld: settings.sgld)
        weights = settings.weights
    }

    /// Applies the divergence guard's remedies on top of the settings.
    mutating func apply(_ remedies: DivergenceGuardState) {
        chains.sgld.steps = settings.sgldSteps + remedies.addedSGLDSteps
        weights.energySquared = settings.energySquaredWeight + remedies.addedEnergyL2
    }

    var extraState: [String: Tensor] { [Self.bufferKey: chains.buffer.samples] }

    /// One step's loss and gradient, and what to log.
    mutating func step(_ model: AnyLayer, images: Tensor, labels: [Int], unlabeled: Tensor?, state: ForwardState,
                       generator: inout SeededGenerator)
        -> (loss: Tensor, gradient: AnyLayer, terms: JEMTerms, energyGap: Float?, metrics: [(String, Double)]) {
        let start = DispatchTime.now().uptimeNanoseconds
        let needsSamples = weights.marginal != 0 || weights.conditional != 0 || weights.energySquared != 0
        let sampleLabels = settings.classConditional ? labels : nil
        var samples: Tensor?, indices: [Int] = [], gradientNorm: Float = 0
        if needsSamples {
            (samples, indices, gradientNorm) = chains.sample(from: model, count: labels.count, labels: sampleLabels, using: &generator)
        }
        let sampled = DispatchTime.now().uptimeNanoseconds
        var terms: JEMTerms?
        let weights = self.weights
        let (loss, gradient) = valueWithGradient(at: model) { m -> Tensor in
            let result = jemLoss(m, data: images, labels: labels, unlabeledData: unlabeled, samples: samples, sampleLabels: sampleLabels,
                                 weights: weights, context: ForwardContext(state: state))
            terms = result.terms
            return result.loss
        }
        if let samples { chains.commit(samples, at: indices) }
        let finished = DispatchTime.now().uptimeNanoseconds
        let t = terms ?? JEMTerms(loss: loss.scalar, crossEntropy: .nan, accuracy: .nan, dataEnergy: .nan, sampleEnergy: .nan)
        let metrics: [(String, Double)] = [
            ("train/cross_entropy", Double(t.crossEntropy)), ("jem/data_energy", Double(t.dataEnergy)),
            ("jem/sample_energy", Double(t.sampleEnergy)), ("jem/energy_gap", Double(t.energyGap)),
            ("jem/sgld_gradient_norm", Double(gradientNorm)),
            ("time/sampling_seconds", Double(sampled - start) / 1e9), ("time/update_seconds", Double(finished - sampled) / 1e9),
        ]
        return (loss, gradient, t, needsSamples ? t.energyGap : nil, metrics)
    }

    /// Up to 64 chains spread evenly over the buffer (so every class's segment shows).
    var bufferSnapshot: Tensor {
        let size = chains.buffer.size, count = min(64, size)
        return chains.buffer.samples.gathering(atIndices: (0..<count).map { $0 * size / count }, alongAxis: 0)
    }

    /// Buffer statistics (a pass over the whole buffer: logged now and then, not every step).
    var bufferMetrics: [(String, Double)] {
        let s = chains.buffer.statistics
        return [("buffer/mean", Double(s.mean)), ("buffer/std", Double(s.standardDeviation))]
    }

    private static func start(_ settings: JEMSettings, train: ImageDataset, classes: Int) -> ReplayBuffer.StartDistribution {
        guard settings.bufferStart == .classGaussian else { return .uniform(lower: -1, upper: 1) }
        let (images, labels) = train.batch(Array(0..<train.count))
        return .classGaussians(ClassGaussians(fitting: images, labels: labels, classes: classes))
    }
}
