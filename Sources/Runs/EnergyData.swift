import Datasets
import Foundation
import Settings
import Tensors

/// What a score-matching run learns from: images (labels unused) or a 2-D toy density's
/// points (`--dataset toy:NAME`).
public enum EnergyData: Sendable {
    case images(TrainingData)
    /// A fixed sample of the density (the same for every run) and a validation sample.
    case points(density: ToyDensity, train: Tensor, validation: Tensor)

    /// Points drawn for a toy run's training and validation sets.
    public static let toyTrainingCount = 50_000, toyValidationCount = 5_000

    /// Loads the configuration's dataset; `toy:NAME` samples the density from fixed seeds
    /// (`newRun` as for `TrainingData.load`).
    public static func load(_ configuration: RunConfiguration, newRun: Bool = false) throws -> EnergyData {
        guard let density = configuration.core.dataset.toyDensity else {
            return .images(try TrainingData.load(configuration, newRun: newRun))
        }
        var trainGenerator = SeededGenerator(seed: TrainingData.holdOutSeed &+ 1)
        var validationGenerator = SeededGenerator(seed: TrainingData.holdOutSeed &+ 2)
        return .points(
            density: density, train: density.sample(count: toyTrainingCount, using: &trainGenerator),
            validation: density.sample(count: toyValidationCount, using: &validationGenerator))
    }

    /// Training examples.
    public var trainingCount: Int {
        switch self {
        case .images(let data): return data.train.count
        case .points(_, let train, _): return train.shape[0]
        }
    }

    /// The shape [C, H, W] the model is built for (points are 1×1×2).
    public var inputShape: [Int] {
        switch self {
        case .images(let data): return [data.train.channels, data.train.height, data.train.width]
        case .points: return [1, 1, 2]
        }
    }

    /// The shape of one sample as the model reads it: [2] for points, [C, H, W] for images.
    public var sampleShape: [Int] {
        if case .points = self { return [2] }
        return inputShape
    }

    /// The first `limit` validation examples as one tensor (nil when there is none); only
    /// those images are decoded.
    public func validationPoints(upTo limit: Int) -> Tensor? {
        switch self {
        case .images(let data): return data.validation.map { $0.batch(Array(0..<min(limit, $0.count))).images }
        case .points(_, _, let validation):
            return validation.sliced(alongAxis: 0, range: 0..<min(limit, validation.shape[0]))
        }
    }

    /// The first `limit` test images as one tensor (images with a test split only).
    public func testPoints(upTo limit: Int) -> Tensor? {
        guard case .images(let data) = self, let test = data.test else { return nil }
        return test.batch(Array(0..<min(limit, test.count))).images
    }

    /// The training examples at `indices`, as the model's input.
    public func trainingBatch(_ indices: [Int]) -> Tensor {
        switch self {
        case .images(let data): return data.train.batch(indices).images
        case .points(_, let train, _): return train.gathering(atIndices: indices, alongAxis: 0)
        }
    }

    /// The validation set in batches of at most `size` (nil when there is none).
    public func validationBatches(size: Int) -> [Tensor]? {
        switch self {
        case .images(let data):
            guard let validation = data.validation else { return nil }
            return stride(from: 0, to: validation.count, by: size).map {
                validation.batch(Array($0..<min($0 + size, validation.count))).images
            }
        case .points(_, _, let validation):
            let n = validation.shape[0]
            return stride(from: 0, to: n, by: size).map {
                validation.sliced(alongAxis: 0, range: $0..<min($0 + size, n))
            }
        }
    }

    /// The test set in batches (images with a test split only).
    public func testBatches(size: Int) -> [Tensor]? {
        guard case .images(let data) = self, let test = data.test else { return nil }
        return stride(from: 0, to: test.count, by: size).map {
            test.batch(Array($0..<min($0 + size, test.count))).images
        }
    }
}
