import Tensors

/// Layers applied in order, named by index as PyTorch's `nn.Sequential` names them
/// (`0.weight`, `2.bias`, …). A `Conv2D` directly followed by a `LeakyReLU` runs as one
/// fused kernel.
public struct Sequential: Layer {
    /// The layers in the order they run; layer i's tensors are named `i.…`.
    public var layers: [any Layer]

    /// Layers that run in the order given.
    public init(_ layers: [any Layer]) { self.layers = layers }

    /// `input` passed through every layer in turn, each under its index as its name in `context`; a `Conv2D`
    /// followed by a `LeakyReLU` runs as one fused kernel.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) -> Tensor {
        var h = input
        var i = 0
        while i < layers.count {
            if let conv = layers[i] as? Conv2D, i + 1 < layers.count, let activation = layers[i + 1] as? LeakyReLU {
                h = conv(h, activation: .leakyReLU(negativeSlope: activation.negativeSlope))
                i += 2
                continue
            }
            h = layers[i](h, context: context.child(String(i)))
            i += 1
        }
        return h
    }

    /// The layers with their tensors transformed, layer i named `prefix.i` (or `i` at the top level).
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> Sequential
    {
        Sequential(
            try layers.enumerated().map { index, layer in
                try layer.mapNamedTensors(prefix: prefix.isEmpty ? String(index) : "\(prefix).\(index)", transform)
            })
    }
}
