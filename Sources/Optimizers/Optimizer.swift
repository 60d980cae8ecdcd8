import Tensors

/// An update rule: parameters and their gradients (flat, in the model's order) in,
/// updated parameters out. Its state (moments, step count) is named so checkpoints can
/// save and restore it exactly.
public protocol Optimizer: Sendable {
    /// Applies one step at `learningRate`.
    mutating func update(_ parameters: inout [Tensor], gradients: [Tensor], learningRate: Float)
    /// The state, as named tensors (e.g. `exp_avg.3`), for checkpoints.
    var state: [String: Tensor] { get }
    /// Restores state saved by `state`.
    mutating func restore(_ state: [String: Tensor]) throws
}

extension Optimizer {
    /// Updates a model (or any tensor tree) in place.
    public mutating func update<Model: TensorTree>(_ model: inout Model, along gradient: Model, learningRate: Float) {
        var parameters = model.tensors
        update(&parameters, gradients: gradient.tensors, learningRate: learningRate)
        model = model.replacingTensors(with: parameters)
    }
}

/// A problem restoring optimiser state from a checkpoint.
public struct OptimizerStateError: Error, CustomStringConvertible, Equatable {
    /// The problem in words.
    public let description: String
    /// An error described by `description`.
    public init(_ description: String) { self.description = description }
}

/// Per-parameter state kept under `name.index` keys.
struct SlotState: Sendable {
    var slots: [Int: Tensor] = [:]

    func named(_ prefix: String) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: slots.map { ("\(prefix).\($0.key)", $0.value) })
    }

    static func restore(_ prefix: String, from state: [String: Tensor]) throws -> SlotState {
        var result = SlotState()
        for (key, value) in state where key.hasPrefix(prefix + ".") {
            guard let index = Int(key.dropFirst(prefix.count + 1)), index >= 0 else {
                throw OptimizerStateError("optimiser state '\(key)' has no valid parameter index")
            }
            result.slots[index] = value
        }
        return result
    }
}

/// The step counter as a one-element tensor, so it travels with the other state.
enum StepState {
    static func tensor(_ step: Int) -> Tensor { Tensor(Float(step)) }
    static func restore(_ state: [String: Tensor]) throws -> Int {
        // Finite and below 2^62 too: a checkpoint from elsewhere may hold any float here, and
        // Int(1e30) traps (found by scripts/fuzz.sh safetensors).
        guard let t = state["step"], t.scalarCount == 1, t.scalar >= 0, t.scalar < 0x1p62,
            t.scalar == t.scalar.rounded()
        else {
            throw OptimizerStateError("optimiser state has no valid 'step'")
        }
        return Int(t.scalar)
    }
}
