import Layers
import Tensors

/// The weights of JEM's terms (reference defaults: p(y|x) 1, p(x) 1, others 0).
public struct JEMWeights: Sendable, Equatable, Codable {
    /// Cross-entropy, −log p(y | x).
    public var classification: Float
    /// Maximum likelihood of p(x): mean E(data) − mean E(samples).
    public var marginal: Float
    /// Maximum likelihood of p(x | y): mean E(data, y) − mean E(samples, y).
    public var conditional: Float
    /// L2 penalty on the energies of data and samples (keeps them near 0; IGEBM, JEM++).
    public var energySquared: Float

    public init(classification: Float = 1, marginal: Float = 1, conditional: Float = 0, energySquared: Float = 0) {
        self.classification = classification
        self.marginal = marginal
        self.conditional = conditional
        self.energySquared = energySquared
    }
}

/// The terms of one JEM loss, as numbers for logging.
public struct JEMTerms: Sendable, Equatable {
    public var loss: Float
    public var crossEntropy: Float
    public var accuracy: Float
    /// Mean E(x) over the labelled data.
    public var dataEnergy: Float
    /// Mean E(x̂) over the samples.
    public var sampleEnergy: Float
    /// dataEnergy − sampleEnergy: negative while samples look worse than data.
    public var energyGap: Float { dataEnergy - sampleEnergy }
}

/// JEM's loss over one forward pass of data, unconditional samples and (for p(x|y))
/// class-conditional samples concatenated — one batch through the model, as the reference
/// does:
///
///     L = w_c·CE(f(x), y) + w_m·(Ē(x) − Ē(x̂)) + w_y·(Ē(x, y) − Ē(x̂_y, y)) + w_2·(mean E(x)² + mean E(x̂)²)
public func jemLoss<Model: Layer>(_ model: Model, data: Tensor, labels: [Int], samples: Tensor?,
                                  conditionalSamples: Tensor? = nil, weights: JEMWeights = JEMWeights(),
                                  context: ForwardContext) -> (loss: Tensor, terms: JEMTerms) {
    let n = data.shape[0]
    let parts = [data] + [samples, conditionalSamples].compactMap { $0 }
    let all = parts.count == 1 ? data : concatenate(parts, alongAxis: 0)
    let logits = model(all, context: context)
    let dataLogits = logits.sliced(alongAxis: 0, range: 0..<n)
    let crossEntropy = crossEntropy(logits: dataLogits, labels: labels)
    let dataEnergy = JointEnergy.energy(logits: dataLogits)
    var loss = weights.classification * crossEntropy
    var sampleEnergyMean: Float = .nan
    var offset = n
    if let samples {
        let m = samples.shape[0]
        let sampleEnergy = JointEnergy.energy(logits: logits.sliced(alongAxis: 0, range: offset..<(offset + m)))
        offset += m
        loss = loss + weights.marginal * (dataEnergy.mean() - sampleEnergy.mean())
        if weights.energySquared > 0 {
            loss = loss + weights.energySquared * (dataEnergy.squared().mean() + sampleEnergy.squared().mean())
        }
        sampleEnergyMean = sampleEnergy.mean().scalar
    }
    if let conditionalSamples {
        let m = conditionalSamples.shape[0]
        precondition(m == n, "jemLoss: \(m) class-conditional samples for \(n) labels")
        let sampleLogits = logits.sliced(alongAxis: 0, range: offset..<(offset + m))
        loss = loss + weights.conditional * (JointEnergy.energy(logits: dataLogits, labels: labels).mean()
                                             - JointEnergy.energy(logits: sampleLogits, labels: labels).mean())
    }
    let predictions = withoutDerivative(at: dataLogits).scalars
    let classes = dataLogits.shape[1]
    let correct = labels.indices.filter { i in
        let row = predictions[(i * classes)..<((i + 1) * classes)]
        return row.firstIndex(of: row.max() ?? 0).map { $0 - i * classes } == labels[i]
    }.count
    let terms = JEMTerms(loss: loss.scalar, crossEntropy: crossEntropy.scalar, accuracy: Float(correct) / Float(max(n, 1)),
                         dataEnergy: dataEnergy.mean().scalar, sampleEnergy: sampleEnergyMean)
    return (loss, terms)
}
