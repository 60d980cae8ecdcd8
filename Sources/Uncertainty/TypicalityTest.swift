import Tensors

/// Nalisnick et al.'s (2019) typicality test, which judges a *batch* of M inputs, not one:
/// a model's typical set holds inputs whose −log p(x) is near the entropy H, so a batch is
/// out of distribution when |mean over the batch of −log p(x) − Ĥ| is large. Ĥ is the mean
/// energy of the training split (energies stand for −log p(x) up to the constant log Z,
/// which cancels). Scores are oriented like the per-input ones: higher = more typical.
public struct TypicalityTest: Sendable, Equatable {
    /// Ĥ: the mean energy E(x) = −log p(x) − log Z over the training split.
    public let entropy: Double

    /// A test around the mean of `trainingEnergies`.
    public init(trainingEnergies: [Double]) throws {
        let finite = trainingEnergies.filter(\.isFinite)
        guard !finite.isEmpty else { throw FittedScoreError("no finite training energy to estimate the entropy") }
        entropy = finite.reduce(0, +) / Double(finite.count)
    }

    /// A test around a stored entropy estimate.
    public init(entropy: Double) throws {
        guard entropy.isFinite else { throw FittedScoreError("the stored entropy estimate is \(entropy)") }
        self.entropy = entropy
    }

    /// −|mean(energies) − Ĥ| of one batch.
    public func score(batchEnergies energies: ArraySlice<Double>) -> Double {
        -abs(energies.reduce(0, +) / Double(max(energies.count, 1)) - entropy)
    }

    /// The set's inputs shuffled with `seed`, cut into ⌊n / M⌋ disjoint batches of M, each scored; what is
    /// left over is dropped. Empty when the set has fewer than M inputs.
    public func batchScores(energies: [Double], batchSize: Int, seed: UInt64) -> [Double] {
        precondition(batchSize >= 1, "TypicalityTest: batch size \(batchSize)")
        var generator = SeededGenerator(seed: seed)
        let shuffled = energies.shuffled(using: &generator)
        return stride(from: 0, to: shuffled.count - batchSize + 1, by: batchSize).map {
            score(batchEnergies: shuffled[$0..<($0 + batchSize)])
        }
    }
}
