import Datasets
import Layers
import Runs
import Tensors

/// Accuracy and mean cross-entropy of a classifier on a dataset, in evaluation mode.
public struct ClassifierScore: Sendable, Codable, Equatable {
    /// The fraction of scored images whose arg-max class is the label (0 when none were scored).
    public var accuracy: Double
    /// The mean cross-entropy −log softmax(f(x))_y per image, in nats (0 when none were scored).
    public var loss: Double
    /// The number of images scored: the dataset's count, or `limit` when that is smaller.
    public var count: Int
}

/// Measures a classifier without training it: its score on a dataset, and the predictions of logits.
public enum ClassifierEvaluation {
    /// Scores `model` on `dataset` in batches, recording nothing.
    public static func score(_ model: some Layer, on dataset: ImageDataset, batchSize: Int, limit: Int? = nil)
        -> ClassifierScore
    {
        let n = min(dataset.count, limit ?? dataset.count)
        var correct = 0
        var lossSum = 0.0
        var start = 0
        while start < n {
            let indices = Array(start..<min(start + batchSize, n))
            let (images, labels) = dataset.batch(indices)
            withoutRecording {
                let logits = model(images)
                correct += zip(predictions(logits), labels).filter { $0 == $1 }.count
                lossSum += Double(crossEntropy(logits: logits, labels: labels).scalar) * Double(indices.count)
            }
            start += batchSize
        }
        return ClassifierScore(
            accuracy: n > 0 ? Double(correct) / Double(n) : 0, loss: n > 0 ? lossSum / Double(n) : 0, count: n)
    }

    /// The arg-max class of each row of [N, K] logits.
    public static func predictions(_ logits: Tensor) -> [Int] { logits.rowArgmax() }
}
