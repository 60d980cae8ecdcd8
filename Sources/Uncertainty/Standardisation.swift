/// Scores of different scales put on one, (s − μ)/σ with μ and σ from in-distribution data:
/// what the complexity score's weight and the ensemble both rest on.
public enum Standardisation {
    /// The mean and population standard deviation of the finite `values`; σ is 1 when they do not vary (or
    /// there are none), so dividing by it is always defined.
    public static func of(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let v = values.filter(\.isFinite)
        let mean = v.reduce(0, +) / Double(max(v.count, 1))
        let deviation = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(v.count, 1))).squareRoot()
        return (mean, deviation > 0 ? deviation : 1)
    }

    /// The ensemble score of each of `count` samples: the minimum over `members` of the member's value
    /// standardised by `standardisations` (μ 0, σ 1 for a member without one); NaN where a member has no value.
    public static func ensemble(
        _ values: [OODScore: [Double]], members: [OODScore],
        standardisations: [OODScore: (mean: Double, deviation: Double)], count: Int
    ) -> [Double] {
        (0..<count).map { i in
            members.map { member in
                let (mean, deviation) = standardisations[member] ?? (0, 1)
                let value = values[member].flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? .nan
                return (value - mean) / deviation
            }.min() ?? .nan
        }
    }
}
