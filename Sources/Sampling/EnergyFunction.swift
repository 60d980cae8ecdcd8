import Tensors

/// Per-sample energies of a batch: `x` of shape [N, …] to E(x) of shape [N]. Samplers take
/// the energy as a function, not a model type, so any model, a toy density or a class-
/// conditional energy E(x, y) plugs in.
public typealias EnergyFunction = (Tensor) -> Tensor

/// The energies of a batch and their input gradient ∇ₓ Σᵢ E(xᵢ) (each sample's own
/// gradient, since samples do not interact).
public func energyAndGradient(_ energy: EnergyFunction, at x: Tensor) -> (energies: Tensor, gradient: Tensor) {
    var energies = Tensor(0)
    let g = gradient(at: withoutDerivative(at: x)) { x -> Tensor in
        let e = energy(x)
        energies = withoutDerivative(at: e)
        return e.sum()
    }
    return (energies, g)
}

/// Per-sample Euclidean norms of a batch [N, …] → [N].
func perSampleNorms(_ x: Tensor) -> [Float] {
    let n = x.shape.first ?? 1
    let d = n == 0 ? 0 : x.scalarCount / n
    return x.withUnsafeBufferPointer { p in
        (0..<n).map { i in
            var s: Float = 0
            for j in 0..<d { s += p[i * d + j] * p[i * d + j] }
            return s.squareRoot()
        }
    }
}
