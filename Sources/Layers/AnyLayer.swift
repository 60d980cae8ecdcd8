import Tensors

/// A layer of any concrete type, as one concrete type: what `ModelSpecification.make`
/// returns, so generic code (gradients, optimisers) can hold models chosen at run time.
public struct AnyLayer: Layer {
    public var base: any Layer

    public init(_ base: any Layer) {
        self.base = (base as? AnyLayer)?.base ?? base
    }

    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { base(input, context: context) }

    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> AnyLayer
    {
        AnyLayer(try base.mapNamedTensors(prefix: prefix, transform))
    }
}
