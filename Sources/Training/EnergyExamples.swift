import Datasets
import Foundation
import Layers
import Objectives
import Runs
import Tensors

/// An energy's examples (images or a toy density's points) as its objectives read them:
/// training batches with optional noise, the validation and test sets, the epoch's pictures
/// and the discrepancy of samples against held-out data.
struct EnergyExamples {
    let data: EnergyData
    let configuration: RunConfiguration

    /// The batch at `indices`, mutated and with Gaussian noise when the run asks for them.
    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch {
        var x = data.trainingBatch(indices)
        let noise = configuration.data.noise
        let rate = configuration.data.mutationRate
        if rate > 0 { x = Augmentation.mutating(x, rate: rate, using: &progress.generator) }
        if noise > 0 { x = Augmentation.addingGaussianNoise(x, standardDeviation: noise, using: &progress.generator) }
        return TrainingBatch(inputs: x)
    }

    /// MMD² of 1,000 samples (500 for images) against as many held-out points: bandwidth 0.5
    /// for 2-D points (the toy evaluation's), the median pairwise distance of the held-out
    /// points for images. Samples and kernel from fixed seeds, so epochs compare.
    func discrepancy(of sampler: LearnedSampler, against points: (Int) -> Tensor?) throws -> Double? {
        let isPoints = data.sampleShape.count == 1
        guard let reference = points(isPoints ? 1_000 : 500) else { return nil }
        var rng = SeededGenerator(seed: TrainingData.holdOutSeed &+ 4)
        return try SampleDiscrepancy.mmd2(
            sampler.samples(count: reference.shape[0], using: &rng), reference,
            bandwidth: isPoints ? 0.5 : nil)
    }

    /// The epoch's pictures: a grid of 64 samples for images; the density and 1,000 samples
    /// over the data for points. Samples come from `sampler` when given (a learned sampler's
    /// generator), else from the energy by the objective's Langevin sampler.
    func pictures(_ model: AnyLayer, sampler: LearnedSampler?, step: Int, folder: URL) throws -> [(
        url: URL, kind: String
    )] {
        let c = configuration
        let energy = ScalarEnergy.of(model)
        var generator = SeededGenerator(seed: UInt64(step) &* 7_919)
        switch data {
        case .images:
            let start = Tensor(randomUniform: [64] + data.inputShape, lower: -1, upper: 1, using: &generator)
            let samples =
                sampler?.samples(count: 64, using: &generator)
                ?? c.scoreMatching.sample(
                    c.core.objective, energy: energy, from: start, clamp: -1...1, using: &generator)
            return try ClassifierExamples.sampleGrid(samples, step: step, folder: folder)
        case .points(_, _, let validation):
            let start = Tensor(
                randomUniform: [1_000, 2], lower: -ToyPlots.extent, upper: ToyPlots.extent, using: &generator)
            let samples =
                sampler?.samples(count: 1_000, using: &generator)
                ?? c.scoreMatching.sample(c.core.objective, energy: energy, from: start, clamp: nil, using: &generator)
            let density = folder.appendingPathComponent("samples/density-step-\(step).png")
            try SampleGrid.writePNG(
                ToyPlots.densityImage(energy: energy), width: 160, height: 160, channels: 3, to: density)
            let scatter = folder.appendingPathComponent("samples/scatter-step-\(step).png")
            try SampleGrid.writePNG(
                ToyPlots.scatterImage(samples: samples, data: validation), width: 320, height: 320, channels: 3,
                to: scatter)
            return [(density, "image-density"), (scatter, "image-samples")]
        }
    }
}
