/// One bin of a reliability diagram: the samples whose confidence fell in [`lower`,
/// `upper`] (with the open/closed ends of `CalibrationBinning`), their mean confidence
/// and their accuracy.
public struct ReliabilityBin: Codable, Sendable, Equatable {
    /// The bin's lower edge: b/B for equal-width bins, the smallest confidence in the
    /// bin for equal-mass bins.
    public var lower: Double
    /// The bin's upper edge: (b+1)/B for equal-width bins, the largest confidence in the
    /// bin for equal-mass bins.
    public var upper: Double
    /// The number of samples n_b in the bin.
    public var count: Int
    /// conf_b, the mean confidence of the bin's samples; `nil` when the bin is empty.
    public var meanConfidence: Double?
    /// acc_b, the fraction of the bin's samples that are correct; `nil` when empty.
    public var accuracy: Double?

    /// acc_b − conf_b: positive when the model is under-confident in this bin, negative
    /// when over-confident; `nil` when the bin is empty.
    public var gap: Double? {
        guard let accuracy, let meanConfidence else { return nil }
        return accuracy - meanConfidence
    }

    /// A bin from its values, for decoding or tests.
    public init(lower: Double, upper: Double, count: Int, meanConfidence: Double?, accuracy: Double?) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanConfidence = meanConfidence
        self.accuracy = accuracy
    }

    /// The bins of `confidences` (each in [0, 1]) with their correctness, in increasing
    /// order of confidence. Equal-width binning returns all B bins, empty ones included;
    /// equal-mass binning returns min(B, N) non-empty bins.
    static func table(confidences: [Double], correct: [Bool], binning: CalibrationBinning) -> [ReliabilityBin] {
        switch binning {
        case .equalWidth(let bins):
            var members = [[Int]](repeating: [], count: bins)
            for (index, confidence) in confidences.enumerated() {
                members[CalibrationBinning.equalWidthBin(of: confidence, bins: bins)].append(index)
            }
            return members.enumerated().map { bin, indices in
                summary(
                    of: indices, confidences: confidences, correct: correct,
                    lower: Double(bin) / Double(bins), upper: Double(bin + 1) / Double(bins))
            }
        case .equalMass(let bins):
            // Sorting indices with the index as tie-break makes the split of tied
            // confidences deterministic: input order.
            let order = confidences.indices.sorted {
                (confidences[$0], $0) < (confidences[$1], $1)
            }
            var start = 0
            return CalibrationBinning.equalMassSizes(count: confidences.count, bins: bins).map { size in
                let indices = Array(order[start..<start + size])
                start += size
                return summary(
                    of: indices, confidences: confidences, correct: correct,
                    lower: confidences[indices[0]], upper: confidences[indices[size - 1]])
            }
        }
    }

    private static func summary(
        of indices: [Int], confidences: [Double], correct: [Bool],
        lower: Double, upper: Double
    ) -> ReliabilityBin {
        guard !indices.isEmpty else {
            return ReliabilityBin(lower: lower, upper: upper, count: 0, meanConfidence: nil, accuracy: nil)
        }
        var confidenceSum = 0.0
        var hits = 0
        for index in indices {
            confidenceSum += confidences[index]
            if correct[index] { hits += 1 }
        }
        let n = Double(indices.count)
        return ReliabilityBin(
            lower: lower, upper: upper, count: indices.count,
            meanConfidence: confidenceSum / n, accuracy: Double(hits) / n)
    }
}
