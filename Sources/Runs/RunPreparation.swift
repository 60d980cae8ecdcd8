import Datasets
import Foundation
import Layers
import Settings

/// A run made ready before anything is recorded: its data loaded and checked, and its
/// configuration holding the values it will really run with. A dataset that cannot be read,
/// a classifier with fewer than two classes or a model that does not fit the data fails
/// here, so no run is left behind half-started; a setting the data caps (the validation
/// hold-out, the batch size) is lowered to what is used, with a warning.
public struct RunPreparation {
    /// Images or points, as the objective reads them.
    public enum Data {
        /// A classifier's images with their labels.
        case classifier(TrainingData)
        /// An energy's examples (images or toy points).
        case energy(EnergyData)
    }

    /// The configuration to run with: the one requested, with the caps the data imposed.
    public var configuration: RunConfiguration
    /// The run's data, loaded, checked and split.
    public var data: Data
    /// What was adjusted, one sentence each, for the terminal.
    public var warnings: [String] = []

    /// Loads and checks `requested`'s data (it must be validated); `resuming` a run recorded
    /// earlier reads its data as that run did.
    public init(_ requested: RunConfiguration, resuming: Bool = false) throws {
        var c = requested
        var warnings = requested.ignoredSettingWarnings
        let trainingCount: Int
        if c.isUnconditionalEnergy {
            let energy = try EnergyData.load(c, newRun: !resuming)
            if case .points = energy {
                guard case .energyMLP = c.modelSpecification.architecture else {
                    throw ConfigurationError.invalid(
                        key: "model", problem: "toy densities are 2-D points: use energy-mlp (or energy-mlp-W)")
                }
            }
            if case .images(let images) = energy {
                Self.note(images, requested: c.data.validationSize, in: &c, warnings: &warnings)
            }
            let shape = energy.inputShape
            try Self.checkModel(c, channels: shape[0], height: shape[1], width: shape[2], classes: 1)
            trainingCount = energy.trainingCount
            data = .energy(energy)
        } else {
            let images = try TrainingData.load(c, newRun: !resuming)
            let classes = max(images.train.classNames.count, (images.train.labels.max() ?? 0) + 1)
            guard classes >= 2 else {
                let only = images.train.classNames.first.map { " ('\($0)')" } ?? ""
                throw ConfigurationError.invalid(
                    key: "dataset",
                    problem: "\(c.core.dataset) has 1 class\(only); a classifier needs at least "
                        + "two (one subfolder of images per class)")
            }
            try Self.checkModel(
                c, channels: images.train.channels, height: images.train.height, width: images.train.width,
                classes: classes)
            if c.core.objective == .jem || c.core.objective.isLearnedSampler { try c.jem.validate(classes: classes) }
            if let perClass = c.jem.labelsPerClass {
                _ = try TrainingData.labeledIndices(
                    images.train, perClass: perClass, classes: classes, seed: c.core.seed &+ 3)
            }
            Self.note(images, requested: c.data.validationSize, in: &c, warnings: &warnings)
            trainingCount = images.train.count
            data = .classifier(images)
        }
        if c.core.batchSize > trainingCount {
            warnings.append(
                "--batch-size \(c.core.batchSize) is more than the \(trainingCount) training examples: each step takes all "
                    + "\(trainingCount), and the run records batch-size \(trainingCount)")
            c.core.batchSize = trainingCount
        }
        self.configuration = c
        self.warnings = warnings
    }

    /// Records the hold-out the split really made (at most a fifth of the set), and the
    /// channels PNG images were read with.
    private static func note(
        _ images: TrainingData, requested: Int, in c: inout RunConfiguration, warnings: inout [String]
    ) {
        let held = images.validation?.count ?? 0
        if held != requested {
            let total = images.train.count + held
            warnings.append(
                "--validation-size \(requested): the set has \(total) training images and at most a fifth is held out, so "
                    + (held == 0 ? "there is no validation hold-out (no best checkpoint by validation)" : "\(held) are")
                    + "; the run records validation-size \(held)")
            c.data.validationSize = held
        }
        if case .pngFolder = c.core.dataset, c.data.channels == nil { c.data.channels = images.train.channels }
    }

    private static func checkModel(_ c: RunConfiguration, channels: Int, height: Int, width: Int, classes: Int) throws {
        do {
            _ = try c.modelSpecification.checkSize(channels: channels, height: height, width: width, classes: classes)
        } catch {
            throw ConfigurationError.invalid(key: "model", problem: error.description)
        }
    }

    /// "fashion-mnist (55000 training, 5000 validation images)".
    public var description: String {
        switch data {
        case .classifier(let images):
            return
                "\(configuration.core.dataset) (\(images.train.count) training, \(images.validation?.count ?? 0) validation images)"
        case .energy(let energy):
            return
                "\(configuration.core.dataset) (\(configuration.core.objective), \(energy.trainingCount) training examples)"
        }
    }
}
