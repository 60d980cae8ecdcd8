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
///   manifold are near energy minima and change little; OOD inputs fall far (score ≪ 0).
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

    /// The scores `joule evaluate` computes when not told otherwise (cheap ones only).
    public static let defaults: [OODScore] = [.logDensity, .maxSoftmax, .maxLogit, .inputGradientNorm]

    /// The name used on the command line, in the store and in reports: `log-px`,
    /// `max-softmax`, `max-logit`, `energy` (T = 1) or `energy@T`, `grad-norm`,
    /// `sgld-delta` (10 steps, η 1, σ 0.01), `sgld-delta@K` or `sgld-delta@K:η:σ`.
    public var name: String {
        switch self {
        case .logDensity: return "log-px"
        case .maxSoftmax: return "max-softmax"
        case .maxLogit: return "max-logit"
        case .energy(let t): return t == 1 ? "energy" : "energy@\(Self.format(t))"
        case .inputGradientNorm: return "grad-norm"
        case .sgldRefinement(let steps, let stepSize, let noise):
            if stepSize == 1 && noise == 0.01 { return steps == 10 ? "sgld-delta" : "sgld-delta@\(steps)" }
            return "sgld-delta@\(steps):\(Self.format(stepSize)):\(Self.format(noise))"
        }
    }

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
        default: return false
        }
    }

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
        }
    }

    /// Parses a name as `name` writes it.
    public init?(name: String) {
        let parts = name.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "log-px" where parts.count == 1: self = .logDensity
        case "max-softmax" where parts.count == 1: self = .maxSoftmax
        case "max-logit" where parts.count == 1: self = .maxLogit
        case "grad-norm" where parts.count == 1: self = .inputGradientNorm
        case "energy":
            guard parts.count == 2 else {
                self = .energy(temperature: 1)
                return
            }
            guard let t = Float(parts[1]), t > 0, t.isFinite else { return nil }
            self = .energy(temperature: t)
        case "sgld-delta":
            guard parts.count == 2 else {
                self = .sgldRefinement(steps: 10, stepSize: 1, noise: 0.01)
                return
            }
            let fields = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 1 || fields.count == 3, let steps = Int(fields[0]), steps >= 1, steps <= 10_000 else {
                return nil
            }
            var stepSize: Float = 1
            var noise: Float = 0.01
            if fields.count == 3 {
                guard let s = Float(fields[1]), let n = Float(fields[2]), s > 0, s.isFinite, n >= 0, n.isFinite else {
                    return nil
                }
                stepSize = s
                noise = n
            }
            self = .sgldRefinement(steps: steps, stepSize: stepSize, noise: noise)
        default: return nil
        }
    }

    /// Every name `init(name:)` accepts, for help and error messages.
    public static let nameHelp =
        "log-px, max-softmax, max-logit, energy or energy@T, grad-norm, sgld-delta or sgld-delta@K[:η:σ]"

    private static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(value)
    }
}

extension OODScore {
    /// The canonical name, as commands take it.
    public var description: String { name }
}
