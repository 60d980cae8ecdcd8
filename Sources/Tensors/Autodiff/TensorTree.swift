/// A value made of tensors — a tensor, an array of them, a model's parameters — that
/// differentiation can take apart and rebuild. Gradients come back with the same structure.
public protocol TensorTree {
    /// The same structure with every tensor replaced by `transform(tensor)`, visiting the
    /// tensors in a fixed order.
    func mapTensors(_ transform: (Tensor) throws -> Tensor) rethrows -> Self
}

extension Tensor: TensorTree {
    /// `transform` applied to the tensor itself: a lone tensor is a tree with one leaf.
    public func mapTensors(_ transform: (Tensor) throws -> Tensor) rethrows -> Tensor {
        try transform(self)
    }
}

extension Array: TensorTree where Element: TensorTree {
    /// Each element's tensors transformed in turn, in array order.
    public func mapTensors(_ transform: (Tensor) throws -> Tensor) rethrows -> [Element] {
        try map { try $0.mapTensors(transform) }
    }
}

extension TensorTree {
    /// The tensors in visiting order.
    public var tensors: [Tensor] {
        var all: [Tensor] = []
        _ = mapTensors {
            all.append($0)
            return $0
        }
        return all
    }

    /// The same structure holding `replacements`, in visiting order.
    public func replacingTensors(with replacements: [Tensor]) -> Self {
        var index = 0
        let result = mapTensors { old -> Tensor in
            precondition(index < replacements.count, "replacingTensors: too few tensors")
            let new = replacements[index]
            precondition(
                new.shape == old.shape,
                "replacingTensors: shape \(new.shape) replaces shape \(old.shape)")
            index += 1
            return new
        }
        precondition(index == replacements.count, "replacingTensors: too many tensors")
        return result
    }
}
