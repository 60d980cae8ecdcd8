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

    /// Weights for the terms; the defaults are the reference's: classification and p(x) 1, the others 0.
    public init(classification: Float = 1, marginal: Float = 1, conditional: Float = 0, energySquared: Float = 0) {
        self.classification = classification
        self.marginal = marginal
        self.conditional = conditional
        self.energySquared = energySquared
    }
}

/// The terms of one JEM loss, as numbers for logging.
public struct JEMTerms: Sendable, Equatable {
    /// The whole weighted loss L whose gradient the step takes.
    public var loss: Float
    /// The mean cross-entropy −log p(y | x) over the labelled data, before weighting.
    public var crossEntropy: Float
    /// The fraction of the labelled data whose arg-max class is its label.
    public var accuracy: Float
    /// Mean E(x) over the data of the p(x) term (the unlabelled batch when there is one).
    public var dataEnergy: Float
    /// Mean E(x̂) over the samples.
    public var sampleEnergy: Float
    /// dataEnergy − sampleEnergy: negative while samples look worse than data.
    public var energyGap: Float { dataEnergy - sampleEnergy }

    /// The terms from their values; `sampleEnergy` is NaN when the step drew no samples.
    public init(loss: Float, crossEntropy: Float, accuracy: Float, dataEnergy: Float, sampleEnergy: Float) {
        self.loss = loss
        self.crossEntropy = crossEntropy
        self.accuracy = accuracy
        self.dataEnergy = dataEnergy
        self.sampleEnergy = sampleEnergy
    }
}

/// JEM's loss over one forward pass of the data and the samples concatenated — one batch
/// through the model, as the reference does:
///
///     L = w_c·CE(f(x), y) + w_m·(Ē(x) − Ē(x̂)) + w_y·(Ē(x, y) − Ē(x̂, ŷ)) + w_2·(mean E(x)² + mean E(x̂)²)
///
/// `sampleLabels` are the labels class-conditional samples were drawn for (needed by the
/// p(x|y) term, weight w_y); unconditional samples have none. With `unlabeledData`
/// (semi-supervised training) the p(x) terms use it for x, and `data` only feeds the
/// labelled terms.
public func jemLoss<Model: Layer>(
    _ model: Model, data: Tensor, labels: [Int], unlabeledData: Tensor? = nil, samples: Tensor?,
    sampleLabels: [Int]? = nil, weights: JEMWeights = JEMWeights(),
    context: ForwardContext
) -> (loss: Tensor, terms: JEMTerms) {
    let n = data.shape[0]
    let u = unlabeledData?.shape[0] ?? 0
    let parts = [data] + [unlabeledData, samples].compactMap { $0 }
    let all = parts.count == 1 ? data : concatenate(parts, alongAxis: 0)
    let logits = model(all, context: context)
    let dataLogits = parts.count == 1 ? logits : logits.sliced(alongAxis: 0, range: 0..<n)
    let crossEntropy = crossEntropy(logits: dataLogits, labels: labels)
    let dataEnergy = JointEnergy.energy(logits: u > 0 ? logits.sliced(alongAxis: 0, range: n..<(n + u)) : dataLogits)
    var loss = weights.classification * crossEntropy
    var sampleEnergyMean: Float = .nan
    if let samples {
        let sampleLogits = logits.sliced(alongAxis: 0, range: (n + u)..<(n + u + samples.shape[0]))
        let sampleEnergy = JointEnergy.energy(logits: sampleLogits)
        if weights.marginal != 0 { loss = loss + weights.marginal * (dataEnergy.mean() - sampleEnergy.mean()) }
        if weights.energySquared != 0 {
            loss = loss + weights.energySquared * (dataEnergy.squared().mean() + sampleEnergy.squared().mean())
        }
        if weights.conditional != 0 {
            guard let sampleLabels else { preconditionFailure("jemLoss: the p(x|y) term needs the samples' labels") }
            loss =
                loss + weights.conditional
                * (JointEnergy.energy(logits: dataLogits, labels: labels).mean()
                    - JointEnergy.energy(logits: sampleLogits, labels: sampleLabels).mean())
        }
        sampleEnergyMean = sampleEnergy.mean().scalar
    }
    let predictions = withoutDerivative(at: dataLogits).scalars
    let classes = dataLogits.shape[1]
    let correct = labels.indices.filter { i in
        let row = predictions[(i * classes)..<((i + 1) * classes)]
        return row.firstIndex(of: row.max() ?? 0).map { $0 - i * classes } == labels[i]
    }.count
    let terms = JEMTerms(
        loss: loss.scalar, crossEntropy: crossEntropy.scalar, accuracy: Float(correct) / Float(max(n, 1)),
        dataEnergy: dataEnergy.mean().scalar, sampleEnergy: sampleEnergyMean)
    return (loss, terms)
}
