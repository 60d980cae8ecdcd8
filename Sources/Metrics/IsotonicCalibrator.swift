/// Isotonic regression (Zadrozny & Elkan, 2002) of correctness on the top-label
/// confidence: the non-decreasing map that best fits, in least squares, whether each
/// validation prediction was right.
///
/// Fitting pools tied confidences (weighted by their count), then runs pool-adjacent-
/// violators: a block is merged with its left neighbour while the neighbour's mean is
/// ≥ its own, so fitted block values strictly increase. Each block keeps the smallest
/// and largest confidence it covers as two knots (one if they coincide) at its value.
/// Applying it interpolates linearly between consecutive knots and clamps outside the
/// first and last. As with histogram binning, the predicted class gets the calibrated
/// confidence c and the other classes share 1 − c in proportion to their softmax
/// probabilities, so rows sum to 1.
public struct IsotonicCalibrator: TopLabelCalibrator, Codable, Sendable, Equatable {
    /// The knots' confidences, non-decreasing.
    public var confidences: [Double]
    /// The knots' calibrated confidences, non-decreasing, each in [0, 1].
    public var calibratedConfidences: [Double]

    /// A calibrator through the given knots: at least one, equal counts, both lists
    /// non-decreasing, calibrated values in [0, 1].
    public init(confidences: [Double], calibratedConfidences: [Double]) {
        precondition(
            Self.areValidKnots(confidences, calibratedConfidences),
            "isotonic knots need ≥ 1 point, equal counts, non-decreasing values in [0, 1]")
        self.confidences = confidences
        self.calibratedConfidences = calibratedConfidences
    }

    /// Fits on validation top-label `confidences` (each in [0, 1]) and whether each
    /// prediction was `correct`.
    ///
    /// Throws `MetricsError` when there are no samples or a confidence is NaN, infinite
    /// or outside [0, 1]; mismatched counts are a precondition.
    public static func fit(confidences: [Double], correct: [Bool]) throws -> IsotonicCalibrator {
        precondition(
            confidences.count == correct.count,
            "\(confidences.count) confidences but \(correct.count) correctness flags")
        try requireUnitInterval(confidences, named: "confidences")
        var blocks: [Block] = []
        let order = confidences.indices.sorted { confidences[$0] < confidences[$1] }
        for index in order {
            let hit = correct[index] ? 1.0 : 0.0
            if let last = blocks.last, last.upper == confidences[index] {
                blocks[blocks.count - 1].absorb(Block(confidence: confidences[index], sum: hit))
            } else {
                blocks.append(Block(confidence: confidences[index], sum: hit))
            }
        }
        var pooled: [Block] = []
        for var block in blocks {
            while let last = pooled.last, last.mean >= block.mean {
                pooled.removeLast()
                block = last.merged(with: block)
            }
            pooled.append(block)
        }
        var knots: [Double] = []
        var values: [Double] = []
        for block in pooled {
            for confidence in block.lower == block.upper ? [block.lower] : [block.lower, block.upper] {
                knots.append(confidence)
                values.append(block.mean)
            }
        }
        return IsotonicCalibrator(confidences: knots, calibratedConfidences: values)
    }

    /// Fits on validation `logits` and `labels`: confidence = max_k softmax(z)_k, correct
    /// = (argmax == label), lowest index on a tie.
    ///
    /// Throws `MetricsError` when there are no samples or a logit is NaN or infinite;
    /// mismatched counts, ragged rows and labels outside 0..<K are preconditions.
    public static func fit(logits: [[Double]], labels: [Int]) throws -> IsotonicCalibrator {
        let (confidences, correct) = try topLabelOutcomes(logits: logits, labels: labels)
        return try fit(confidences: confidences, correct: correct)
    }

    /// The calibrated confidence of a top-label `confidence`: linear between the knots
    /// around it, the first or last knot's value outside them; NaN stays NaN.
    public func calibratedConfidence(_ confidence: Double) -> Double {
        guard !confidence.isNaN else { return .nan }
        guard let first = confidences.first, let last = confidences.last,
            confidence > first
        else { return calibratedConfidences[0] }
        guard confidence < last else { return calibratedConfidences[calibratedConfidences.count - 1] }
        // The first knot above `confidence`, by binary search; one exists since it is below
        // the last, and it is not the first knot since `confidence` is above that.
        var low = 0
        var high = confidences.count - 1
        while low < high {
            let middle = (low + high) / 2
            if confidences[middle] > confidence { high = middle } else { low = middle + 1 }
        }
        let (x0, x1) = (confidences[high - 1], confidences[high])
        let (y0, y1) = (calibratedConfidences[high - 1], calibratedConfidences[high])
        return y0 + (y1 - y0) * (confidence - x0) / (x1 - x0)
    }

    /// Decodes stored knots, refusing lists that are empty, of different lengths, not
    /// non-decreasing or with calibrated values outside [0, 1].
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let confidences = try container.decode([Double].self, forKey: .confidences)
        let calibrated = try container.decode([Double].self, forKey: .calibratedConfidences)
        guard Self.areValidKnots(confidences, calibrated) else {
            throw DecodingError.dataCorruptedError(
                forKey: .confidences, in: container,
                debugDescription: "isotonic knots need ≥ 1 point, equal counts, non-decreasing values in [0, 1]")
        }
        self.confidences = confidences
        self.calibratedConfidences = calibrated
    }

    private static func areValidKnots(_ knots: [Double], _ values: [Double]) -> Bool {
        func isNonDecreasing(_ list: [Double]) -> Bool {
            zip(list, list.dropFirst()).allSatisfy { $0 <= $1 }
        }
        return !knots.isEmpty && knots.count == values.count
            && knots.allSatisfy(\.isFinite) && values.allSatisfy { (0...1).contains($0) }
            && isNonDecreasing(knots) && isNonDecreasing(values)
    }

    /// Consecutive confidences pooled into one fitted value: the mean of their outcomes.
    private struct Block {
        var lower: Double
        var upper: Double
        var sum: Double
        var weight: Double

        init(confidence: Double, sum: Double) {
            lower = confidence
            upper = confidence
            self.sum = sum
            weight = 1
        }

        var mean: Double { sum / weight }

        mutating func absorb(_ other: Block) {
            upper = other.upper
            sum += other.sum
            weight += other.weight
        }

        func merged(with other: Block) -> Block {
            var result = self
            result.absorb(other)
            return result
        }
    }
}
