import Tensors

/// Persistent SGLD chains (JEM): a store of past samples. Each draw takes random entries,
/// restarting a fraction (`reinitializationRate`, JEM's 5%) from the start distribution;
/// after sampling the chains are written back. With `classes`, the buffer is split into
/// one equal segment per class and a draw for label y takes only from y's segment.
public struct ReplayBuffer: Sendable {
    /// The stored samples, [size, …sample shape].
    public private(set) var samples: Tensor
    /// The number of class segments of a class-conditional buffer; nil for an unconditional one.
    public let classes: Int?
    /// The probability that a drawn chain restarts from `start` instead of its stored sample (JEM: 0.05).
    public var reinitializationRate: Float
    /// The distribution new chains start from, when the buffer is filled and on each restart.
    public var start: StartDistribution

    /// Where new chains start.
    public enum StartDistribution: Sendable {
        /// Uniform in lower…upper (JEM: −1…1).
        case uniform(lower: Float, upper: Float)
        /// Per-class Gaussians fitted to the training data (JEM++'s informative start).
        case classGaussians(ClassGaussians)
    }

    /// A buffer of `size` samples of `sampleShape` drawn from `start` (uniform in −1…1 by default); `size` must be
    /// positive and split evenly into `classes` segments, and the restart rate lie in 0…1 (default 0.05).
    public init(
        size: Int, sampleShape: [Int], classes: Int? = nil, reinitializationRate: Float = 0.05,
        start: StartDistribution = .uniform(lower: -1, upper: 1), using generator: inout some RandomNumberGenerator
    ) {
        precondition(size > 0, "ReplayBuffer: size must be positive")
        precondition(
            classes.map { $0 > 0 && size % $0 == 0 } ?? true,
            "ReplayBuffer: size \(size) must split evenly into \(classes ?? 0) classes")
        precondition((0...1).contains(reinitializationRate), "ReplayBuffer: reinitialisation rate must lie in 0…1")
        self.classes = classes
        self.reinitializationRate = reinitializationRate
        self.start = start
        let perClass = classes.map { size / $0 }
        let labels = perClass.map { p in (0..<size).map { $0 / p } }
        samples = Self.fresh(count: size, shape: sampleShape, labels: labels, start: start, using: &generator)
    }

    /// Restores a buffer saved from `samples` (checkpoints).
    public init(samples: Tensor, classes: Int?, reinitializationRate: Float, start: StartDistribution) {
        self.samples = samples
        self.classes = classes
        self.reinitializationRate = reinitializationRate
        self.start = start
    }

    /// The number of stored chains (the samples' first axis).
    public var size: Int { samples.shape[0] }
    /// The shape of one sample, e.g. [C, H, W].
    public var sampleShape: [Int] { Array(samples.shape.dropFirst()) }

    /// Chain starts for a batch: `count` entries (for `labels`, one per label from its
    /// class's segment), some restarted from the start distribution. Returns the starts and
    /// the entries to write the chains back to.
    public mutating func draw(count: Int, labels: [Int]? = nil, using generator: inout some RandomNumberGenerator)
        -> (starts: Tensor, indices: [Int])
    {
        if let labels {
            precondition(labels.count == count, "ReplayBuffer.draw: \(labels.count) labels for \(count) samples")
        }
        let indices: [Int] = (0..<count).map { i in
            guard let classes, let labels else { return Int.random(in: 0..<size, using: &generator) }
            precondition(
                (0..<classes).contains(labels[i]), "ReplayBuffer.draw: label \(labels[i]) outside 0..<\(classes)")
            let perClass = size / classes
            return labels[i] * perClass + Int.random(in: 0..<perClass, using: &generator)
        }
        var starts = samples.gathering(atIndices: indices, alongAxis: 0)
        let restart = (0..<count).map { _ in Float.random(in: 0..<1, using: &generator) < reinitializationRate }
        if restart.contains(true) {
            let labelsOfDraw = labels ?? classes.map { c in indices.map { $0 / (size / c) } }
            let fresh = Self.fresh(
                count: count, shape: sampleShape, labels: labelsOfDraw, start: start, using: &generator)
            starts = selectingSamples(restart, fresh, starts)
        }
        return (starts, indices)
    }

    /// Writes finished chains back to their entries.
    public mutating func store(_ chains: Tensor, at indices: [Int]) {
        precondition(
            chains.shape == [indices.count] + sampleShape,
            "ReplayBuffer.store: shape \(chains.shape) for \(indices.count) entries of \(sampleShape)")
        let d = sampleShape.reduce(1, *)
        let count = size
        let values = withoutDerivative(at: chains)
        samples.withUnsafeMutableBufferPointer { buffer in
            values.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    precondition((0..<count).contains(index), "ReplayBuffer.store: entry \(index) outside 0..<\(count)")
                    for j in 0..<d { buffer[index * d + j] = source[row * d + j] }
                }
            }
        }
    }

    /// Mean and standard deviation of the stored values (logged as buffer statistics).
    public var statistics: (mean: Float, standardDeviation: Float) {
        samples.withUnsafeBufferPointer { p in
            let n = Double(p.count)
            let mean = p.reduce(0.0) { $0 + Double($1) } / n
            let variance = p.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
            return (Float(mean), Float(variance.squareRoot()))
        }
    }

    /// New chains; `labels` nil (an unconditional buffer) draws each chain's class at random.
    static func fresh(
        count: Int, shape: [Int], labels: [Int]?, start: StartDistribution,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        switch start {
        case .uniform(let lower, let upper):
            return Tensor(randomUniform: [count] + shape, lower: lower, upper: upper, using: &generator)
        case .classGaussians(let gaussians):
            let classes = gaussians.means.count
            let chosen = labels ?? (0..<count).map { _ in Int.random(in: 0..<classes, using: &generator) }
            return gaussians.sample(labels: chosen, shape: shape, using: &generator)
        }
    }
}
