/// A per-sample score for out-of-distribution detection. Every score is oriented so that
/// HIGHER means MORE in-distribution (reports state it); in-distribution is the positive
/// class of the detection metrics.
///
/// With f(x) the classifier's logits and E(x) = −logsumexp f(x) the energy (JEM):
/// - `logDensity` — log p(x) + log Z = logsumexp f(x) = −E(x) (Grathwohl et al. 2020);
/// - `maxSoftmax` — max_y p(y | x) (Hendrycks & Gimpel 2017);
/// - `maxLogit` — max_y f(x)[y] (Hendrycks et al. 2022);
/// - `energy(temperature: T)` — the negative free energy T · logsumexp(f(x) / T) (Liu et al.
///   2020); at T = 1 it equals `logDensity`;
/// - `inputGradientNorm` — −‖∇ₓ log p(x)‖₂, JEM's "approximate mass": likely inputs sit where
///   the density is flat. That holds for JEM-trained models; a cross-entropy model's density
///   is often flatter off the data (AUROC 0.06–0.31 for cnn-s on every OOD set), which
///   `joule evaluate` and the report flag as an inverted score;
/// - `sgldRefinement` — E(x_K) − E(x) after K SGLD steps from x (η, σ): inputs on the data
///   manifold are near energy minima and change little; OOD inputs fall far (score ≪ 0);
/// - `complexity(weight: w)` — log p(x) + w · L(x) · ln 2, L(x) the image's PNG length in bits
///   (Serrà et al. 2020): a likelihood ratio against a universal compressor, which takes
///   back the credit density models give simple images. Serrà's w is 1, for a density in
///   nats; an energy's scale is its own (short-run SGLD does not make it a normalised density),
///   so without a given w (nil) it is fitted on validation data alone, as the ratio of the two
///   terms' spreads, σ(log p) / σ(L ln 2), so that neither drowns the other;
/// - `likelihoodRatio` — E_bg(x) − E(x) = log p(x) − log p_bg(x), against a background model
///   trained on perturbed inputs (Ren et al. 2019): what both models share (background
///   statistics, complexity) cancels;
/// - `mahalanobis(preprocessing: ε)` — −min_c (φ − μ_c)ᵀ Σ⁻¹ (φ − μ_c) on penultimate
///   features φ(x), class means and a tied covariance fitted on the training split (Lee et al.
///   2018), after the input moves ε · sign of the gradient that brings it closer (ε = 0: none);
/// - `knn(neighbours: k)` — minus the distance from the unit-length feature to its k-th nearest
///   unit-length training feature (Sun et al. 2022).
///
/// - `ensemble` — min over `ensembleMembers` (log-px, complexity, Mahalanobis, k-NN) of each
///   score standardised on validation data, (s − μ)/σ: an input is as in-distribution as its
///   most doubtful detector says. Each member catches what another misses (complexity the
///   simple images, the feature scores noise, which complexity rates as rich).
///
/// Mahalanobis and k-NN read features and likelihood-ratio a second model: they need what
/// `ScoringModel` holds as fitted (`needsFit`).
///
/// A pure energy model (no classifier head) has `logDensity`, `energy` (with E given), the
/// gradient norm and the refinement score, but not `maxSoftmax` or `maxLogit`.
public enum OODScore: Hashable, Sendable, Codable, CustomStringConvertible {
    case logDensity
    case maxSoftmax
    case maxLogit
    case energy(temperature: Float)
    case inputGradientNorm
    case sgldRefinement(steps: Int, stepSize: Float, noise: Float)
    case complexity(weight: Float?)
    case likelihoodRatio
    case mahalanobis(preprocessing: Float)
    case knn(neighbours: Int)
    case ensemble

    /// The scores `joule evaluate` computes when not told otherwise: the cheap ones (one forward pass, or one
    /// backward, per batch), with what they fit — the likelihood ratio needs a background model, the SGLD
    /// refinement several passes, so they are asked for by name.
    public static let defaults: [OODScore] = [
        .logDensity, .maxSoftmax, .maxLogit, .inputGradientNorm, .complexity(weight: nil),
        .mahalanobis(preprocessing: 0), .knn(neighbours: defaultNeighbours), .ensemble,
    ]

    /// Whether the score needs the classifier's head (class logits), not just an energy.
    public var needsClassifier: Bool {
        switch self {
        case .maxSoftmax, .maxLogit: return true
        default: return false
        }
    }

    /// Whether the score needs input gradients (a backward pass per batch, or several).
    public var needsGradients: Bool {
        switch self {
        case .inputGradientNorm, .sgldRefinement: return true
        case .mahalanobis(let epsilon): return epsilon > 0
        default: return false
        }
    }

    /// Whether the score reads the model's penultimate features.
    public var needsFeatures: Bool {
        switch self {
        case .mahalanobis, .knn, .ensemble: return true
        default: return false
        }
    }

    /// Whether the score needs something fitted before it can be computed: feature statistics from the
    /// training split, or a background model.
    public var needsFit: Bool {
        needsFeatures || self == .likelihoodRatio || self == .complexity(weight: nil) || self == .ensemble
    }

    /// The scores `ensemble` combines.
    public static let ensembleMembers: [OODScore] = [
        .logDensity, .complexity(weight: nil), .mahalanobis(preprocessing: 0), .knn(neighbours: defaultNeighbours),
    ]

    /// A one-line statement of what the score is and its direction, for reports.
    public var meaning: String {
        switch self {
        case .logDensity: return "logsumexp f(x) = log p(x) + log Z; higher = in-distribution"
        case .maxSoftmax: return "max softmax probability; higher = in-distribution"
        case .maxLogit: return "max logit; higher = in-distribution"
        case .energy(let t): return "T·logsumexp(f(x)/T) with T = \(Self.format(t)); higher = in-distribution"
        case .inputGradientNorm:
            return
                "−‖∇ₓ log p(x)‖₂; higher (flatter) = in-distribution, as for JEM-trained models (a cross-entropy model's often inverts)"
        case .sgldRefinement(let steps, let stepSize, let noise):
            return
                "E(x_K) − E(x) after K = \(steps) SGLD steps (η \(Self.format(stepSize)), σ \(Self.format(noise))); higher = in-distribution"
        case .complexity(let weight):
            return
                "log p(x) + \(weight.map(Self.format) ?? "w")·L(x)·ln 2, L the PNG length in bits (Serrà et al. 2020)"
                + (weight == nil ? ", w = σ(log p)/σ(L ln 2) on validation" : "") + "; higher = in-distribution"
        case .likelihoodRatio:
            return "E_bg(x) − E(x): log p(x) against a background model's (Ren et al. 2019); higher = in-distribution"
        case .mahalanobis(let epsilon):
            return
                "−min_c Mahalanobis distance of penultimate features, tied covariance (Lee et al. 2018)"
                + (epsilon > 0 ? ", input pre-processing ε = \(Self.format(epsilon))" : "")
                + "; higher = in-distribution"
        case .knn(let k):
            return
                "−distance to the \(k)-th nearest normalised training feature (Sun et al. 2022); higher = in-distribution"
        case .ensemble:
            return
                "min over log-px, complexity, mahalanobis and knn of (s − μ)/σ, μ and σ on validation; higher = in-distribution"
        }
    }
}

extension OODScore {
    /// The canonical name, as commands take it.
    public var description: String { name }
}
