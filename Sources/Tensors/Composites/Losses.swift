/// Mean cross-entropy of `logits` [N, K] against integer `labels` (N values in 0..<K):
/// −mean log softmax(logits)[i, labels[i]].
public func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    precondition(
        logits.rank == 2 && logits.shape[0] == labels.count,
        "crossEntropy: logits shape \(logits.shape) does not match \(labels.count) labels")
    let classes = logits.shape[1]
    for label in labels {
        precondition(label >= 0 && label < classes, "crossEntropy: label \(label) is outside 0..<\(classes)")
    }
    let picked = labels.enumerated().map { $0.offset * classes + $0.element }
    let logProbabilities = logits.logSoftmax(alongAxis: 1).reshaped(to: [-1])
    return -logProbabilities.gathering(atIndices: picked, alongAxis: 0).mean()
}

/// Mean squared error over all elements.
public func meanSquaredError(predicted: Tensor, expected: Tensor) -> Tensor {
    precondition(
        predicted.shape == expected.shape,
        "meanSquaredError: shapes \(predicted.shape) and \(expected.shape) differ")
    return (predicted - expected).squared().mean()
}
