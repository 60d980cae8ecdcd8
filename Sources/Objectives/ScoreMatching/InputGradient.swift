import Sampling
import Tensors

/// ∇ₓ Σᵢ E(xᵢ): each sample's energy gradient, kept differentiable with respect to whatever
/// the energy captures (a model's parameters) — the building block of every score-matching
/// loss, which then differentiates through it (gradients of gradients).
public func energyInputGradient(_ energy: EnergyFunction, at x: Tensor) -> Tensor {
    gradient(at: x) { energy($0).sum() }
}

/// The Hessian-vector products H(xᵢ) vᵢ of each sample's energy, [N, …]: one extra backward
/// pass through the input gradient (Pearlmutter 1994), differentiable like it.
public func energyHessianVectorProduct(_ energy: EnergyFunction, at x: Tensor, along v: Tensor) -> Tensor {
    precondition(v.shape == x.shape, "energyHessianVectorProduct: direction \(v.shape) for inputs \(x.shape)")
    let direction = withoutDerivative(at: v)
    return gradient(at: x) { (energyInputGradient(energy, at: $0) * direction).sum() }
}

/// Per-sample sums over every axis but the first: [N, …] → [N].
func perSampleSum(_ t: Tensor) -> Tensor {
    t.rank == 1 ? t : t.sum(squeezingAxes: Array(1..<t.rank))
}
