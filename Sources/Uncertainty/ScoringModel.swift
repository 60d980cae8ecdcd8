import Layers
import Objectives
import Sampling
import Tensors

/// What the scores read from a model: its class logits, when it has a classifier head, its
/// energy E(x) (JEM's −logsumexp f(x) for a classifier), its penultimate features when the
/// network exposes them, and what was fitted for it (feature statistics, a background
/// model), which the scores that need a fit read.
public struct ScoringModel {
    /// Class logits f(x) [N, classes]; nil for a pure energy model.
    public var logits: ((Tensor) -> Tensor)?
    /// Per-sample energies [N].
    public var energy: EnergyFunction
    /// Penultimate features φ(x) [N, D]; nil when the network is not one whose read-out is known.
    public var features: ((Tensor) -> Tensor)?
    /// Class Gaussians on the features (the Mahalanobis score); nil until fitted.
    public var gaussians: FeatureGaussians?
    /// Normalised training features (the k-NN score); nil until fitted.
    public var bank: FeatureBank?
    /// The background model's energy E_bg(x) (the likelihood-ratio score); nil when none is given.
    public var backgroundEnergy: EnergyFunction?
    /// The complexity score's fitted weight w (for `complexity` without `@W`); nil until fitted.
    public var complexityWeight: Double?
    /// The ensemble's standardisation: each member's mean and standard deviation on validation; nil until fitted.
    public var standardisation: [OODScore: (mean: Double, deviation: Double)]?

    /// A classifier read as JEM reads it: E(x) = −logsumexp f(x); its features when it exposes them.
    public init(classifier: some Layer, context: ForwardContext = .inference()) {
        let jem = JointEnergyModel(classifier, context: context)
        logits = { jem.logits($0) }
        energy = { jem.energy($0) }
        features = Self.featureFunction(classifier, context: context)
    }

    /// A pure energy model (score matching): no class probabilities; features when `network` (whose single
    /// output is the energy) exposes them.
    public init(energy: @escaping EnergyFunction, network: (any Layer)? = nil, context: ForwardContext = .inference()) {
        logits = nil
        self.energy = energy
        features = network.flatMap { Self.featureFunction($0, context: context) }
    }

    /// Whether `score` can be computed for this model, with what has been fitted for it.
    public func supports(_ score: OODScore) -> Bool {
        switch score {
        case .maxSoftmax, .maxLogit: return logits != nil
        case .energy(let t): return logits != nil || t == 1
        case .mahalanobis: return features != nil && gaussians != nil
        case .knn: return features != nil && bank != nil
        case .likelihoodRatio: return backgroundEnergy != nil
        case .complexity(let weight): return weight != nil || complexityWeight != nil
        case .ensemble:
            return standardisation != nil && OODScore.ensembleMembers.allSatisfy { supports($0) }
        default: return true
        }
    }

    /// Whether `score` could be computed once fitted: the model has what it reads.
    public func canFit(_ score: OODScore) -> Bool {
        switch score {
        case .mahalanobis, .knn: return features != nil
        case .likelihoodRatio, .complexity: return true
        case .ensemble: return OODScore.ensembleMembers.allSatisfy(canFit)
        default: return supports(score)
        }
    }

    private static func featureFunction(_ layer: some Layer, context: ForwardContext) -> ((Tensor) -> Tensor)? {
        let extract: ((Tensor, ForwardContext) -> Tensor)? =
            (layer as? AnyLayer)?.featureExtractor
            ?? (layer as? any FeatureExtracting).map { extracting in { extracting.features($0, context: $1) } }
        return extract.map { extract in { extract($0, context) } }
    }
}
