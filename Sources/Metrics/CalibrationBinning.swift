/// How confidences are grouped into bins for calibration errors and reliability diagrams.
///
/// - `equalWidth(bins: B)`: bin b (0 ≤ b < B) covers (b/B, (b+1)/B], except the first,
///   which is closed at 0: [0, 1/B]. A confidence exactly on an edge b/B falls in the bin
///   below it, and a confidence of exactly 1 in the last bin. Edges are the doubles
///   `Double(b) / Double(B)`, so a literal such as 0.2 with B = 5 is exactly an edge.
/// - `equalMass(bins: B)`: confidences sorted increasingly (ties in input order) are
///   split into B contiguous groups whose sizes differ by at most one, the earlier groups
///   taking the extra samples; a bin's edges are the smallest and largest confidence in
///   it. With fewer than B samples each sample is its own bin.
public enum CalibrationBinning: Codable, Sendable, Equatable {
    /// B bins of width 1/B over [0, 1].
    case equalWidth(bins: Int)
    /// B bins holding (nearly) equal numbers of samples.
    case equalMass(bins: Int)

    /// Fifteen equal-width bins, the usual choice since Guo et al. (2017).
    public static let standard = CalibrationBinning.equalWidth(bins: 15)

    /// The number of bins B asked for (equal-mass binning may use fewer).
    public var bins: Int {
        switch self {
        case .equalWidth(let bins), .equalMass(let bins): return bins
        }
    }

    /// The equal-width bin of `confidence` in [0, 1] among `bins` bins: the b with
    /// b/B < confidence ≤ (b+1)/B, or 0 for a confidence of 0.
    static func equalWidthBin(of confidence: Double, bins: Int) -> Int {
        let count = Double(bins)
        var bin = min(max(Int((confidence * count).rounded(.up)) - 1, 0), bins - 1)
        // c·B is rounded, so near an edge the estimate may be one off; the edges as
        // divided doubles decide.
        while bin > 0 && confidence <= Double(bin) / count { bin -= 1 }
        while bin < bins - 1 && confidence > Double(bin + 1) / count { bin += 1 }
        return bin
    }

    /// The sizes of the equal-mass groups of `count` samples among `bins` bins: min(B, N)
    /// groups whose sizes differ by at most one, the larger ones first.
    static func equalMassSizes(count: Int, bins: Int) -> [Int] {
        let groups = min(bins, count)
        guard groups > 0 else { return [] }
        let (base, extra) = count.quotientAndRemainder(dividingBy: groups)
        return (0..<groups).map { $0 < extra ? base + 1 : base }
    }
}
