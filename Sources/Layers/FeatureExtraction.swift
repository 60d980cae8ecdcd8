import Tensors

/// A classifier whose logits are a linear read-out of features, f(x) = W φ(x) + b: the
/// feature-space OOD scores (Mahalanobis distance, k-nearest neighbours) read φ(x), the
/// input of the last linear layer ("penultimate features").
public protocol FeatureExtracting: Layer {
    /// φ(x) [N, D] for inputs [N, …]: everything the forward pass computes before the last linear layer.
    func features(_ input: Tensor, context: ForwardContext) -> Tensor
}

extension Sequential: FeatureExtracting {
    /// Every layer but the last, when the last is the linear read-out; the whole network otherwise (then the
    /// "features" are the outputs).
    public func features(_ input: Tensor, context: ForwardContext) -> Tensor {
        guard layers.last is Linear else { return self(input, context: context) }
        // Dropping the last layer keeps every other layer's index, and so its name in `context`.
        let trunk = Sequential(Array(layers.dropLast()))
        let h = trunk(input, context: context)
        return h.rank == 2 ? h : h.reshaped(to: [h.shape[0], h.scalarCount / max(h.shape[0], 1)])
    }
}

extension AnyLayer {
    /// The wrapped model's penultimate features, when it is a network `FeatureExtracting` knows; nil otherwise.
    public var featureExtractor: ((Tensor, ForwardContext) -> Tensor)? {
        guard let extracting = base as? any FeatureExtracting else { return nil }
        return { extracting.features($0, context: $1) }
    }
}
