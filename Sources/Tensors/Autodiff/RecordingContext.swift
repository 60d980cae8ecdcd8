/// Per-task state of differentiation: whether operations are recorded, and how many
/// differentiations enclose the current code.
enum RecordingContext {
    @TaskLocal static var isDisabled = false
    @TaskLocal static var depth = 0

    /// Whether operations on tensors that carry derivatives are recorded now.
    static var isRecording: Bool { !isDisabled }
}

/// Runs `body` without recording any operation: for sampling and inference, where no
/// derivative of the result is wanted. Results carry no derivative.
public func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
    try RecordingContext.$isDisabled.withValue(true, operation: body)
}

/// `x` with its derivative cut off: treated as a constant by every enclosing differentiation.
public func withoutDerivative(at x: Tensor) -> Tensor {
    var y = x
    y.node = nil
    return y
}
