import Synchronization

/// One recorded operation in the autodiff graph.
///
/// A node keeps the nodes of its inputs (nil for inputs that do not depend on a variable)
/// and a pullback written in differentiable `Tensor` operations: run while an outer
/// differentiation is active, the pullback records its own graph, which is what makes
/// gradients of gradients work.
final class Node: @unchecked Sendable {
    /// Creation order: an operation's inputs always have smaller ids than its output.
    let id: Int
    /// Name of the operation, for diagnostics.
    let operation: StaticString
    /// Nodes of the inputs; nil where an input carries no derivative.
    let inputs: [Node?]
    /// Maps the output's cotangent to the inputs' cotangents; `needed[i]` says whether
    /// input `i` needs one (the pullback may return nil where it does not).
    let pullback: (_ cotangent: Tensor, _ needed: [Bool]) -> [Tensor?]
    /// Shape of the output, to build a zero cotangent when none arrives.
    let shape: [Int]

    private static let counter = Atomic<Int>(0)

    init(
        operation: StaticString, inputs: [Node?], shape: [Int],
        pullback: @escaping (Tensor, [Bool]) -> [Tensor?]
    ) {
        self.id = Node.counter.add(1, ordering: .relaxed).newValue
        self.operation = operation
        self.inputs = inputs
        self.shape = shape
        self.pullback = pullback
    }
}

extension Tensor {
    /// The result of an operation on `inputs`: recorded with `pullback` when any input carries
    /// a derivative and recording is on, plain otherwise. Every primitive returns through here.
    static func record(
        _ output: Tensor, operation: StaticString, inputs: [Tensor],
        pullback: @escaping (Tensor, [Bool]) -> [Tensor?]
    ) -> Tensor {
        guard RecordingContext.isRecording, inputs.contains(where: { $0.node != nil }) else {
            return output
        }
        var result = output
        result.node = Node(
            operation: operation, inputs: inputs.map(\.node),
            shape: output.shape, pullback: pullback)
        return result
    }

    /// One-input form of `record`.
    static func record(
        _ output: Tensor, operation: StaticString, input: Tensor,
        pullback: @escaping (Tensor) -> Tensor
    ) -> Tensor {
        guard RecordingContext.isRecording, input.node != nil else { return output }
        var result = output
        result.node = Node(operation: operation, inputs: [input.node], shape: output.shape) { g, _ in
            [pullback(g)]
        }
        return result
    }
}
