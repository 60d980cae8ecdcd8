import Tensors

/// Where a tensor sits in a module: its PyTorch `state_dict` name and whether the
/// optimiser trains it (parameters) or the module keeps it as state (buffers such as
/// BatchNorm's running statistics).
public struct TensorSlot: Sendable, Hashable {
    /// Dotted name, e.g. `layer1.0.conv1.weight`, as PyTorch's `state_dict` spells it.
    public let name: String
    /// True for parameters, false for buffers.
    public let isTrainable: Bool

    /// A slot with the full dotted name `name`; `isTrainable` is false for buffers.
    public init(name: String, isTrainable: Bool) {
        self.name = name
        self.isTrainable = isTrainable
    }

    /// The slot of a child tensor: `prefix.name` (or `name` at top level).
    public static func named(_ name: String, in prefix: String, trainable: Bool = true) -> TensorSlot {
        TensorSlot(name: prefix.isEmpty ? name : "\(prefix).\(name)", isTrainable: trainable)
    }
}

/// A value holding named tensors — a layer or a model. One requirement: rebuild with each
/// tensor transformed, given its slot. Everything else (gradients shaped like the model,
/// state dicts, parameter counts) follows in extensions.
public protocol Module: TensorTree {
    /// The same module with every parameter and buffer replaced by `transform(slot, tensor)`,
    /// visited in a fixed order; `prefix` is the module's own dotted name.
    func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> Self
}

extension Module {
    /// Visits the trainable parameters only: gradients and optimisers see parameters,
    /// never buffers.
    public func mapTensors(_ transform: (Tensor) throws -> Tensor) rethrows -> Self {
        try mapNamedTensors(prefix: "") { slot, tensor in slot.isTrainable ? try transform(tensor) : tensor }
    }

    /// Every parameter and buffer with its `state_dict` name, in order.
    public var namedTensors: [(slot: TensorSlot, tensor: Tensor)] {
        var all: [(TensorSlot, Tensor)] = []
        _ = mapNamedTensors(prefix: "") { slot, tensor in
            all.append((slot, tensor))
            return tensor
        }
        return all
    }

    /// The trainable parameters with their names, in order.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        namedTensors.filter(\.slot.isTrainable).map { ($0.slot.name, $0.tensor) }
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { namedParameters.map(\.tensor.scalarCount).reduce(0, +) }

    /// The module with tensors taken from `values` by name (a state dict). Every slot must
    /// be present with the right shape; extra names are an error too, so a checkpoint of
    /// another architecture is refused rather than half-loaded.
    public func loading(_ values: [String: Tensor]) throws -> Self {
        var used = Set<String>()
        let result = try mapNamedTensors(prefix: "") { slot, tensor -> Tensor in
            guard let value = values[slot.name] else { throw ModuleError.missingTensor(slot.name) }
            guard value.shape == tensor.shape else {
                throw ModuleError.shapeMismatch(name: slot.name, expected: tensor.shape, found: value.shape)
            }
            used.insert(slot.name)
            return value
        }
        let extra = Set(values.keys).subtracting(used)
        guard extra.isEmpty else { throw ModuleError.unexpectedTensors(extra.sorted()) }
        return result
    }

    /// The module with every tensor cut off from differentiation.
    public var detached: Self { mapNamedTensors(prefix: "") { _, t in withoutDerivative(at: t) } }
}

/// Problems loading named tensors into a module.
public enum ModuleError: Error, CustomStringConvertible, Equatable {
    case missingTensor(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case unexpectedTensors([String])

    /// The problem in words, for error messages.
    public var description: String {
        switch self {
        case .missingTensor(let name): return "no tensor named '\(name)' for this model"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found), the model expects \(expected)"
        case .unexpectedTensors(let names):
            return
                "tensors not in this model: \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : "")"
        }
    }
}
