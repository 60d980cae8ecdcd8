/// Split-conformal prediction sets (Vovk et al. 2005; Angelopoulos & Bates 2021): a
/// nonconformity score s(x, y) measured on n held-out labelled examples, its
/// ⌈(n + 1)(1 − α)⌉-th smallest value q̂ as the threshold, and the set {y : s(x, y) ≤ q̂}.
/// For exchangeable data, P(y ∈ set) ≥ 1 − α, and ≤ 1 − α + 1/(n + 1) when the scores have
/// no ties (hence the randomised scores below).
///
/// - `lac`: s = 1 − p_y (Sadinle et al. 2019), the smallest sets on average;
/// - `aps`: s = the probability mass of the classes ranked above y, plus u · p_y (Romano et
///   al. 2020), sets that adapt to how hard the input is;
/// - `raps`: APS plus λ · (rank of y − k_reg)⁺ (Angelopoulos et al. 2021), which keeps the
///   unlikely tail out of APS's sets.
///
/// u, the tie-breaking uniform of APS and RAPS, is drawn from a hash of the probability row
/// itself: one input always gets the same set, and u is independent of the label, which is
/// what the guarantee needs. A randomised set may be empty (a strong "none of these").
public struct ConformalPredictor: Codable, Sendable, Equatable {
    /// The nonconformity scores.
    public enum Method: String, CaseIterable, Codable, Sendable { case lac, aps, raps }

    /// Which score.
    public var method: Method
    /// The target coverage 1 − α.
    public var coverage: Double
    /// q̂: labels scoring at most this are in the set (+∞ when n is too small for the coverage: every label).
    public var threshold: Double
    /// n, the calibration examples.
    public var count: Int
    /// RAPS's λ (0 for the others).
    public var penalty: Double
    /// RAPS's k_reg, the ranks free of penalty (0 for the others).
    public var freeRanks: Int

    enum CodingKeys: String, CodingKey {
        case method, coverage, threshold, count, penalty
        case freeRanks = "free_ranks"
    }

    /// Decodes the JSON form, where a threshold of null means +∞ (every label; JSON has no infinity).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decode(Method.self, forKey: .method)
        coverage = try c.decode(Double.self, forKey: .coverage)
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? .infinity
        count = try c.decode(Int.self, forKey: .count)
        penalty = try c.decode(Double.self, forKey: .penalty)
        freeRanks = try c.decode(Int.self, forKey: .freeRanks)
        guard coverage > 0 && coverage < 1, count >= 1, penalty >= 0, freeRanks >= 0, !threshold.isNaN else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "conformal predictor fields out of range"))
        }
    }

    /// Encodes the JSON form (an infinite threshold as null).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(threshold.isFinite ? threshold : nil, forKey: .threshold)
        try c.encode(count, forKey: .count)
        try c.encode(penalty, forKey: .penalty)
        try c.encode(freeRanks, forKey: .freeRanks)
    }

    /// RAPS's defaults for ten classes: λ = 0.01 past the second rank.
    public static let defaultPenalty = 0.01
    /// See `defaultPenalty`.
    public static let defaultFreeRanks = 2

    /// A predictor from its parts (what `fit` computes).
    public init(method: Method, coverage: Double, threshold: Double, count: Int, penalty: Double, freeRanks: Int) {
        self.method = method
        self.coverage = coverage
        self.threshold = threshold
        self.count = count
        self.penalty = penalty
        self.freeRanks = freeRanks
    }

    /// Fits q̂ on calibration `probabilities` (rows summing to 1) and their `labels`.
    ///
    /// - Throws: `MetricsError` when there is no example, a label is outside the rows, or the coverage is not in (0, 1).
    public static func fit(
        method: Method, probabilities: [[Double]], labels: [Int], coverage: Double,
        penalty: Double = defaultPenalty, freeRanks: Int = defaultFreeRanks
    ) throws -> ConformalPredictor {
        guard coverage > 0 && coverage < 1 else { throw MetricsError.invalid("coverage \(coverage) is not in (0, 1)") }
        guard !probabilities.isEmpty, probabilities.count == labels.count else {
            throw MetricsError.invalid("\(probabilities.count) probability rows for \(labels.count) labels")
        }
        guard penalty >= 0, penalty.isFinite, freeRanks >= 0 else {
            throw MetricsError.invalid("RAPS needs a penalty ≥ 0 and free ranks ≥ 0")
        }
        var predictor = ConformalPredictor(
            method: method, coverage: coverage, threshold: .infinity, count: labels.count,
            penalty: method == .raps ? penalty : 0, freeRanks: method == .raps ? freeRanks : 0)
        var scores: [Double] = []
        for (row, label) in zip(probabilities, labels) {
            guard row.indices.contains(label) else {
                throw MetricsError.invalid("label \(label) outside the \(row.count) classes")
            }
            scores.append(predictor.score(row, label: label))
        }
        scores.sort()
        let n = Double(scores.count)
        let k = Int(((n + 1) * coverage - 1e-9).rounded(.up))
        predictor.threshold = k <= scores.count ? scores[k - 1] : .infinity
        return predictor
    }

    /// s(x, y) of the label `label` for the probability row `p`.
    public func score(_ p: [Double], label: Int) -> Double {
        switch method {
        case .lac: return 1 - p[label]
        case .aps, .raps:
            let order = Self.ranking(p)
            let rank = order.firstIndex(of: label) ?? 0
            let above = order[..<rank].reduce(0.0) { $0 + p[$1] }
            return adaptiveScore(massAbove: above, share: Self.tieBreak(p) * p[label], rank: rank)
        }
    }

    /// The prediction set for the probability row `p`, most probable class first.
    public func predictionSet(_ p: [Double]) -> [Int] {
        switch method {
        case .lac: return Self.ranking(p).filter { 1 - p[$0] <= threshold }
        case .aps, .raps:
            // The score grows with the rank, so the set is a prefix of the ranking.
            let order = Self.ranking(p)
            let u = Self.tieBreak(p)
            var set: [Int] = []
            var above = 0.0
            for (rank, label) in order.enumerated() {
                let s = adaptiveScore(massAbove: above, share: u * p[label], rank: rank)
                guard s <= threshold else { break }
                set.append(label)
                above += p[label]
            }
            return set
        }
    }

    /// APS's and RAPS's score of the class at 0-based `rank`: the mass ranked above it, its randomised share,
    /// and RAPS's penalty past the free ranks (λ = 0 for APS).
    private func adaptiveScore(massAbove: Double, share: Double, rank: Int) -> Double {
        massAbove + share + penalty * Double(max(0, rank + 1 - freeRanks))
    }

    /// Classes from the most probable down (ties: the lower class first).
    static func ranking(_ p: [Double]) -> [Int] {
        p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
    }

    /// A uniform number in [0, 1) fixed by the row's bits (SplitMix64's finaliser over them).
    static func tieBreak(_ p: [Double]) -> Double {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for v in p {
            h ^= v.bitPattern
            h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        return Double(h >> 11) / Double(1 << 53)
    }
}
