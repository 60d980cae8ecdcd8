import Tensors

/// A layer of any concrete type, as one concrete type: what `ModelSpecification.make`
/// returns, so generic code (gradients, optimisers) can hold models chosen at run time.
public struct AnyLayer: Layer {
    /// The wrapped layer (never itself an `AnyLayer`: `init` unwraps nested ones).
    public var base: any Layer

    /// Wraps `base`; wrapping an `AnyLayer` keeps its base rather than nesting a second wrapper.
    public init(_ base: any Layer) {
        self.base = (base as? AnyLayer)?.base ?? base
    }

    /// The wrapped layer applied to `input`.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor { base(input, context: context) }

    /// The wrapped layer with its tensors transformed, wrapped again.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows -> AnyLayer
    {
        AnyLayer(try base.mapNamedTensors(prefix: prefix, transform))
    }
}
