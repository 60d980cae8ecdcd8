import Tensors

/// JEM++'s proximal SGLD (Yang & Ji 2021): each Langevin step's change, gradient step and
/// noise together, is clipped to a small neighbourhood of where the chain is, so one large
/// gradient cannot throw a chain far from its last state.
public struct ProximalStep: Sendable, Equatable, Codable {
    /// The norm the neighbourhood is measured in.
    public enum Norm: String, Sendable, Equatable, Codable {
        /// Each value moves at most `radius` (a box; JEM++'s clipping).
        case linf
        /// Each sample's whole change is at most `radius` long (scaled down, direction kept).
        case l2
    }

    /// δ: the most a value (L∞) or a sample's step (L2) may move per step.
    public var radius: Float
    /// Where the radius applies.
    public var norm: Norm

    /// A neighbourhood of radius δ in `norm`; traps on a negative or non-finite δ.
    public init(radius: Float, norm: Norm = .linf) {
        precondition(radius >= 0 && radius.isFinite, "ProximalStep: the radius must be a non-negative number")
        self.radius = radius
        self.norm = norm
    }

    /// `change` clipped to the neighbourhood: each value to −δ…δ (L∞), or each sample (the
    /// first axis) scaled by min(1, δ/‖change‖₂) (L2).
    public func clipped(_ change: Tensor) -> Tensor {
        withoutRecording {
            switch norm {
            case .linf:
                return minimum(maximum(change, Tensor(-radius)), Tensor(radius))
            case .l2:
                let norms = perSampleNorms(change)
                let n = change.shape.first ?? 1
                let d = n == 0 ? 0 : change.scalarCount / n
                let factors = norms.map { $0 > radius ? radius / $0 : 1 }
                return change.withUnsafeBufferPointer { c in
                    Tensor(shape: change.shape) { i in c[i] * factors[i / max(d, 1)] }
                }
            }
        }
    }
}
