import Datasets
import Foundation
import Settings
import Tensors

/// The images a run trains, validates and tests on.
public struct TrainingData: Sendable {
    /// The training images: the set less the validation hold-out.
    public var train: ImageDataset
    /// The validation hold-out; nil when none is held out (`validation-size` 0, or a set of under five images).
    public var validation: ImageDataset?
    /// The test images (Fashion-MNIST's test split); nil for a PNG folder.
    public var test: ImageDataset?

    /// The three sets as given.
    public init(train: ImageDataset, validation: ImageDataset?, test: ImageDataset?) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The validation hold-out is fixed (this seed, not the run's), so runs with different
    /// seeds are validated on the same images.
    public static let holdOutSeed: UInt64 = 20_240_601

    /// Loads the dataset a configuration names and splits off the validation images.
    ///
    /// - Parameter newRun: whether the configuration starts a run. A PNG folder mixing grey
    ///   and colour images is refused for a new run that does not set `channels`; a run
    ///   recorded before that rule (no `channels`) reads it as RGB, as it was trained.
    public static func load(_ configuration: RunConfiguration, newRun: Bool = false) throws -> TrainingData {
        let full: ImageDataset
        var test: ImageDataset?
        switch configuration.core.dataset {
        case .fashionMNIST:
            let directory = configuration.data.datasetPath.map { URL(fileURLWithPath: $0, isDirectory: true) }
            full = try FashionMNIST.load(split: .train, directory: directory)
            test = try FashionMNIST.load(split: .test, directory: directory)
        case .pngFolder(let folder):
            full = try PNGFolder.load(
                directory: URL(fileURLWithPath: folder, isDirectory: true),
                grayscale: configuration.data.channels.map { $0 == 1 }, mixedAsRGB: !newRun)
        case .toy:
            throw ConfigurationError.invalid(
                key: "dataset",
                problem: "'\(configuration.core.dataset)' is 2-D points, not images: "
                    + "train an energy on it (score matching, or a learned sampler with energy-mlp)")
        }
        return split(full, validationSize: configuration.data.validationSize, test: test)
    }

    /// Holds out `validationSize` images (at most a fifth of the set) for validation.
    public static func split(_ full: ImageDataset, validationSize: Int, test: ImageDataset?) -> TrainingData {
        let held = min(validationSize, full.count / 5)
        guard held > 0 else { return TrainingData(train: full, validation: nil, test: test) }
        let (train, validation) = DataSplit.holdOut(count: full.count, validationCount: held, seed: holdOutSeed)
        return TrainingData(train: full.subset(train), validation: full.subset(validation), test: test)
    }

    /// The labelled subset of semi-supervised training: `perClass` images of each class,
    /// a seeded choice that a resumed run makes identically.
    public static func labeledIndices(_ train: ImageDataset, perClass: Int, classes: Int, seed: UInt64) throws -> [Int]
    {
        var generator = SeededGenerator(seed: seed)
        var chosen: [Int] = []
        for c in 0..<classes {
            let members = train.labels.indices.filter { train.labels[$0] == c }
            guard members.count >= perClass else {
                throw ConfigurationError.invalid(
                    key: "labels-per-class",
                    problem: "class \(c) has \(members.count) training images, fewer than \(perClass)")
            }
            chosen += members.shuffled(using: &generator).prefix(perClass)
        }
        return chosen.sorted()
    }
}
