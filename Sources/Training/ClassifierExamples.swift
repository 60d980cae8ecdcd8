import Datasets
import Foundation
import Layers
import Runs
import Tensors

/// A classifier's examples as its objectives read them (cross-entropy, JEM, JEM with a
/// learned sampler): augmented training batches, semi-supervised labelled batches, and the
/// validation and test measures (accuracy, the best checkpoint the most accurate).
struct ClassifierExamples {
    let data: TrainingData
    let configuration: RunConfiguration
    /// Classes: the names the dataset has, or every label it uses.
    let classes: Int

    init(_ data: TrainingData, configuration: RunConfiguration) {
        self.data = data
        self.configuration = configuration
        classes = max(data.train.classNames.count, (data.train.labels.max() ?? 0) + 1)
    }

    var inputShape: [Int] { [data.train.channels, data.train.height, data.train.width] }

    /// A semi-supervised run (`labels-per-class`) draws its labelled batches from a sampler of
    /// its own, kept in the progress so a resume continues it.
    func prepareLabelledBatches(_ progress: inout TrainingProgress) throws {
        guard let perClass = configuration.jem.labelsPerClass else { return }
        let c = configuration
        let labeled = try TrainingData.labeledIndices(
            data.train, perClass: perClass, classes: classes, seed: c.core.seed &+ 3)
        progress.labeledSampler = BatchSampler(indices: labeled, batchSize: c.core.batchSize, seed: c.core.seed &+ 4)
    }

    /// What the p(x) term of a step sees, besides the labelled images.
    enum LikelihoodImages {
        /// Nothing: cross-entropy alone (a semi-supervised run then takes only the labelled batch).
        case none
        /// The step's images as augmented for cross-entropy (JEM's default).
        case augmented
        /// The step's images before augmentation (SADA-JEM: augmentation feeds cross-entropy only).
        case clean
    }

    /// The images at `indices`, augmented. In a semi-supervised run they feed p(x) as the
    /// unlabelled batch (augmented or not as `likelihood` says), and a labelled batch feeds the
    /// rest; with `.clean` a supervised run's images also come unaugmented for p(x).
    func batch(_ indices: [Int], progress: inout TrainingProgress, likelihood: LikelihoodImages) -> TrainingBatch {
        var (images, labels) = data.train.batch(indices)
        guard var labeledSampler = progress.labeledSampler else {
            let clean = images
            images = augment(images, using: &progress.generator)
            return TrainingBatch(inputs: images, labels: labels, unlabeled: likelihood == .clean ? clean : nil)
        }
        var unlabeled: Tensor?
        switch likelihood {
        case .none: unlabeled = nil
        case .augmented: unlabeled = augment(images, using: &progress.generator)
        case .clean: unlabeled = images
        }
        (images, labels) = data.train.batch(labeledSampler.nextBatch())
        images = augment(images, using: &progress.generator)
        progress.labeledSampler = labeledSampler
        return TrainingBatch(inputs: images, labels: labels, unlabeled: unlabeled)
    }

    func augment(_ images: Tensor, using generator: inout SeededGenerator) -> Tensor {
        var x = images
        let d = configuration.data
        if d.mutationRate > 0 { x = Augmentation.mutating(x, rate: d.mutationRate, using: &generator) }
        if d.cropPadding > 0 { x = Augmentation.randomCrop(x, padding: d.cropPadding, using: &generator) }
        if d.flip { x = Augmentation.randomHorizontalFlip(x, using: &generator) }
        if d.noise > 0 { x = Augmentation.addingGaussianNoise(x, standardDeviation: d.noise, using: &generator) }
        return x
    }

    /// Accuracy and loss on the validation set.
    func validate(_ model: AnyLayer) -> Validation? {
        guard let validation = data.validation else { return nil }
        let v = ClassifierEvaluation.score(model, on: validation, batchSize: configuration.details.evaluationBatchSize)
        return Validation(
            value: v.accuracy, metrics: [("validation/loss", v.loss), ("validation/accuracy", v.accuracy)],
            text: String(format: "validation loss %.4f acc %.4f", v.loss, v.accuracy))
    }

    /// Test accuracy of the best-on-validation model (the final model without one) and of the final model.
    func test(final model: AnyLayer, best: URL?) throws -> TestResult? {
        guard let test = data.test else { return nil }
        let batch = configuration.details.evaluationBatchSize
        let finalAccuracy = ClassifierEvaluation.score(model, on: test, batchSize: batch).accuracy
        var accuracy = finalAccuracy
        if let best {
            let bestModel = try model.loading(TrainingCheckpoint.read(from: best).modelStateDict)
            accuracy = ClassifierEvaluation.score(bestModel, on: test, batchSize: batch).accuracy
        }
        return TestResult(
            accuracy: accuracy, finalAccuracy: finalAccuracy,
            metrics: [("test/accuracy", accuracy), ("test/final_accuracy", finalAccuracy)],
            note: String(
                format: "test accuracy %.4f (best-on-validation model), %.4f (final model)", accuracy, finalAccuracy))
    }

    /// A grid of `samples` as the epoch's picture.
    static func sampleGrid(_ samples: Tensor, step: Int, folder: URL) throws -> [(url: URL, kind: String)] {
        let grid = folder.appendingPathComponent("samples/step-\(step).png")
        try SampleGrid.write(samples, columns: 8, to: grid)
        return [(grid, "image-samples")]
    }
}
