import Tensors

/// Shared, mutable state of one forward pass: training or evaluation, the random stream
/// for dropout, and buffer updates (BatchNorm's running statistics) keyed by slot name,
/// which the trainer writes back into the model after the step.
public final class ForwardState {
    /// Training mode: dropout active, batch statistics in BatchNorm.
    public var isTraining: Bool
    /// Randomness for stochastic layers.
    public var generator: SeededGenerator
    /// New values for buffers, by `state_dict` name.
    public var bufferUpdates: [String: Tensor] = [:]

    /// State for one pass: `isTraining` picks the mode; `generator` feeds dropout (seed 0 unless given).
    public init(isTraining: Bool, generator: SeededGenerator = SeededGenerator(seed: 0)) {
        self.isTraining = isTraining
        self.generator = generator
    }
}

/// Where a layer is called from: the shared state plus the layer's own dotted name, so a
/// layer can address its buffers.
public struct ForwardContext {
    /// The state shared by every layer of the pass.
    public let state: ForwardState
    /// This layer's dotted name in the model (e.g. `layer1.0.bn1`); empty at the top level.
    public let path: String

    /// A context at `path` (the top level by default) sharing `state`.
    public init(state: ForwardState, path: String = "") {
        self.state = state
        self.path = path
    }

    /// An evaluation-mode context (no dropout, running statistics).
    public static func inference() -> ForwardContext { ForwardContext(state: ForwardState(isTraining: false)) }

    /// The context for a child named `name`.
    public func child(_ name: String) -> ForwardContext {
        ForwardContext(state: state, path: path.isEmpty ? name : "\(path).\(name)")
    }

    /// The full name of a tensor of this layer.
    public func slotName(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}

/// A module that maps a tensor to a tensor.
public protocol Layer: Module {
    /// The layer applied to `input`.
    func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor
}

extension Layer {
    /// The layer applied in evaluation mode.
    public func callAsFunction(_ input: Tensor) -> Tensor { self(input, context: .inference()) }
}

extension Module {
    /// The model with buffer updates from `state` written in (after a training step).
    public func applyingBufferUpdates(from state: ForwardState) -> Self {
        guard !state.bufferUpdates.isEmpty else { return self }
        return mapNamedTensors(prefix: "") { slot, tensor in
            slot.isTrainable ? tensor : state.bufferUpdates[slot.name].map { withoutDerivative(at: $0) } ?? tensor
        }
    }
}
