/// How a learned sampler estimates its generator's entropy.
public enum EntropyEstimate: String, CaseIterable, Sendable, Codable {
    /// VERA: x = g(h) + σε, the entropy gradient by importance sampling (`VariationalEntropy`).
    case vera
    /// MEG: a Jensen–Shannon bound on I(z; G(z)) with a statistics network (`MutualInformationEntropy`).
    case meg
    /// Kim & Bengio: the generator's batch-norm scales as Gaussian entropies (`BatchNormEntropy`).
    case kimBengio = "kim-bengio"
}
