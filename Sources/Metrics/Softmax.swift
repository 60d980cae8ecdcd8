#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif

/// softmax(z / T) of one row, computed as exp(z_k/T − m) / Σ_j exp(z_j/T − m) with
/// m = max_j z_j/T so no exponential overflows.
///
/// A row holding NaN or +∞, or only −∞, has no meaningful distribution and gives a row
/// of NaN; otherwise −∞ entries get probability 0.
func softmax(_ logits: [Double], temperature: Double = 1) -> [Double] {
    let scaled = temperature == 1 ? logits : logits.map { $0 / temperature }
    let largest = scaled.max() ?? -.infinity
    guard largest.isFinite, !scaled.contains(where: \.isNaN) else {
        return [Double](repeating: .nan, count: logits.count)
    }
    let exponentials = scaled.map { exp($0 - largest) }
    // The largest term is exp(0) = 1, so the sum is at least 1 and dividing is safe.
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
}

/// −log softmax(z / T)_label, computed as logsumexp(z / T) − z_label / T without forming
/// the probability, so it stays exact when the probability underflows. `logits` must be
/// finite.
func negativeLogSoftmax(_ logits: [Double], label: Int, temperature: Double) -> Double {
    var largest = -Double.infinity
    for z in logits { largest = max(largest, z / temperature) }
    var total = 0.0
    for z in logits { total += exp(z / temperature - largest) }
    // The margin first: it is exactly 0 when the label is the largest logit, and it
    // avoids cancelling two large terms when T is small.
    return (largest - logits[label] / temperature) + log(total)
}
