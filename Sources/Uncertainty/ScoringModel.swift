import Layers
import Objectives
import Sampling
import Tensors

/// What the scores read from a model: its class logits, when it has a classifier head, and
/// its energy E(x) (JEM's −logsumexp f(x) for a classifier).
public struct ScoringModel {
    /// Class logits f(x) [N, classes]; nil for a pure energy model.
    public var logits: ((Tensor) -> Tensor)?
    /// Per-sample energies [N].
    public var energy: EnergyFunction

    /// A classifier read as JEM reads it: E(x) = −logsumexp f(x).
    public init(classifier: some Layer, context: ForwardContext = .inference()) {
        let jem = JointEnergyModel(classifier, context: context)
        logits = { jem.logits($0) }
        energy = { jem.energy($0) }
    }

    /// A pure energy model (score matching): no class probabilities.
    public init(energy: @escaping EnergyFunction) {
        logits = nil
        self.energy = energy
    }

    /// Whether `score` can be computed for this model.
    public func supports(_ score: OODScore) -> Bool {
        if logits != nil { return true }
        if case .energy(let t) = score { return t == 1 }
        return !score.needsClassifier
    }
}
