import Layers
import Sampling
import Tensors

/// A model that assigns each input an energy: p(x) ∝ exp(−E(x)). Lower is more likely.
public protocol EnergyModel {
    /// Per-sample energies: x [N, …] → E(x) [N].
    func energy(_ x: Tensor) -> Tensor
}

extension EnergyModel {
    /// The energy as a function, for the samplers.
    public var energyFunction: EnergyFunction { { self.energy($0) } }
}

/// JEM's reading of a classifier (Grathwohl et al. 2020): its logits f(x) are negative
/// energies of (x, y) pairs.
///
///     E(x, y) = −f(x)[y]        E(x) = −log Σ_y exp f(x)[y]
///     p(y | x) = softmax f(x)   log p(x) = logsumexp f(x) − log Z
public struct JointEnergyModel<Classifier: Layer>: EnergyModel {
    /// The network whose logits f(x), [N, classes], define the energies.
    public var classifier: Classifier
    /// The forward context for evaluation (no dropout, running statistics).
    public var context: ForwardContext

    /// The JEM reading of `classifier`, run in `context` (evaluation mode unless told otherwise).
    public init(_ classifier: Classifier, context: ForwardContext = .inference()) {
        self.classifier = classifier
        self.context = context
    }

    /// The classifier's logits f(x), [N, classes].
    public func logits(_ x: Tensor) -> Tensor { classifier(x, context: context) }

    /// E(x) = −logsumexp f(x), [N].
    public func energy(_ x: Tensor) -> Tensor { JointEnergy.energy(logits: logits(x)) }

    /// E(x, y) = −f(x)[y], [N].
    public func energy(_ x: Tensor, labels: [Int]) -> Tensor { JointEnergy.energy(logits: logits(x), labels: labels) }

    /// p(y | x), [N, classes].
    public func classProbabilities(_ x: Tensor) -> Tensor { logits(x).softmax(alongAxis: 1) }

    /// log p(x) + log Z = logsumexp f(x), [N].
    public func unnormalizedLogDensity(_ x: Tensor) -> Tensor { logits(x).logSumExp(squeezingAxes: [1]) }

    /// The class-conditional energy for fixed labels, for class-conditional sampling.
    public func conditionalEnergyFunction(labels: [Int]) -> EnergyFunction { { self.energy($0, labels: labels) } }
}

/// The energies read from logits [N, classes].
public enum JointEnergy {
    /// −logsumexp over classes, [N].
    public static func energy(logits: Tensor) -> Tensor { -logits.logSumExp(squeezingAxes: [1]) }

    /// −logits[i, labels[i]], [N].
    public static func energy(logits: Tensor, labels: [Int]) -> Tensor {
        precondition(
            logits.rank == 2 && logits.shape[0] == labels.count,
            "JointEnergy: logits \(logits.shape) for \(labels.count) labels")
        let classes = logits.shape[1]
        let picks = labels.enumerated().map { i, y in
            precondition((0..<classes).contains(y), "JointEnergy: label \(y) outside 0..<\(classes)")
            return i * classes + y
        }
        return -logits.reshaped(to: [logits.scalarCount]).gathering(atIndices: picks, alongAxis: 0)
    }
}
