extension OODScore {
    /// The name used on the command line, in the store and in reports: `log-px`,
    /// `max-softmax`, `max-logit`, `energy` (T = 1) or `energy@T`, `grad-norm`,
    /// `sgld-delta` (10 steps, η 1, σ 0.01), `sgld-delta@K` or `sgld-delta@K:η:σ`,
    /// `complexity` (weight fitted on validation) or `complexity@W`, `likelihood-ratio`, `mahalanobis` (no
    /// pre-processing) or `mahalanobis@ε`, `knn` (k = 50) or `knn@K`.
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
        case .complexity(let weight): return weight.map { "complexity@\(Self.format($0))" } ?? "complexity"
        case .likelihoodRatio: return "likelihood-ratio"
        case .mahalanobis(let epsilon): return epsilon == 0 ? "mahalanobis" : "mahalanobis@\(Self.format(epsilon))"
        case .knn(let k): return k == Self.defaultNeighbours ? "knn" : "knn@\(k)"
        case .ensemble: return "ensemble"
        }
    }

    /// k of `knn` without `@K`: Sun et al.'s choice for CIFAR-10's 50,000 training images.
    public static let defaultNeighbours = 50

    /// Parses a name as `name` writes it.
    public init?(name: String) {
        let parts = name.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let parameter = parts.count == 2 ? parts[1] : nil
        /// A positive finite number after `@`, or `fallback` without one.
        func number(_ fallback: Float, allowZero: Bool = false) -> Float? {
            guard let parameter else { return fallback }
            guard let v = Float(parameter), v.isFinite, allowZero ? v >= 0 : v > 0 else { return nil }
            return v
        }
        switch parts[0] {
        case "log-px" where parameter == nil: self = .logDensity
        case "max-softmax" where parameter == nil: self = .maxSoftmax
        case "max-logit" where parameter == nil: self = .maxLogit
        case "grad-norm" where parameter == nil: self = .inputGradientNorm
        case "likelihood-ratio" where parameter == nil: self = .likelihoodRatio
        case "ensemble" where parameter == nil: self = .ensemble
        case "energy":
            guard let t = number(1) else { return nil }
            self = .energy(temperature: t)
        case "complexity":
            guard let parameter else {
                self = .complexity(weight: nil)
                return
            }
            guard let w = Float(parameter), w.isFinite, w >= 0 else { return nil }
            self = .complexity(weight: w)
        case "mahalanobis":
            guard let epsilon = number(0, allowZero: true), epsilon <= 1 else { return nil }
            self = .mahalanobis(preprocessing: epsilon)
        case "knn":
            guard let parameter else {
                self = .knn(neighbours: Self.defaultNeighbours)
                return
            }
            guard let k = Int(parameter), (1...100_000).contains(k) else { return nil }
            self = .knn(neighbours: k)
        case "sgld-delta":
            guard let parameter else {
                self = .sgldRefinement(steps: 10, stepSize: 1, noise: 0.01)
                return
            }
            guard let refinement = Self.refinement(parameter) else { return nil }
            self = refinement
        default: return nil
        }
    }

    /// `K` or `K:η:σ` of `sgld-delta@…`.
    private static func refinement(_ text: String) -> OODScore? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
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
        return .sgldRefinement(steps: steps, stepSize: stepSize, noise: noise)
    }

    /// Every name `init(name:)` accepts, for help and error messages.
    public static let nameHelp =
        "log-px, max-softmax, max-logit, energy or energy@T, grad-norm, sgld-delta or sgld-delta@K[:η:σ], "
        + "complexity or complexity@W, likelihood-ratio, mahalanobis or mahalanobis@ε, knn or knn@K, ensemble"

    static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(value)
    }
}
