/// Thins a long metric history to about `limit` points while keeping its shape.
///
/// The points are cut into `(limit − 2) / 2` buckets of consecutive points; each bucket
/// keeps its smallest and largest finite value, in step order, so a loss spike or a
/// collapse one step wide still shows. A bucket holding a non-finite value also keeps
/// the first such point, so the chart's line still breaks there. The first and last
/// points are always kept, so the curve spans the same steps. Histories of at most
/// `limit` points come back unchanged.
func downsampled(_ points: [MetricPoint], limit: Int = 2000) -> [MetricPoint] {
    precondition(limit >= 4, "downsampling needs a limit of at least 4 points, got \(limit)")
    guard points.count > limit else { return points }
    let bucketCount = (limit - 2) / 2
    var kept: [MetricPoint] = []
    kept.reserveCapacity(limit + bucketCount)
    for bucket in 0..<bucketCount {
        let range = (bucket * points.count / bucketCount)..<((bucket + 1) * points.count / bucketCount)
        var indices = extremes(of: points, in: range)
        if bucket == 0 { indices.insert(range.lowerBound) }
        if bucket == bucketCount - 1 { indices.insert(range.upperBound - 1) }
        kept.append(contentsOf: indices.sorted().map { points[$0] })
    }
    return kept
}

/// The indices of the smallest and largest finite values in `range`, and of its first
/// non-finite value, if any.
private func extremes(of points: [MetricPoint], in range: Range<Int>) -> Set<Int> {
    var smallest: Int?
    var largest: Int?
    var firstGap: Int?
    for index in range {
        let value = points[index].value
        guard value.isFinite else {
            if firstGap == nil { firstGap = index }
            continue
        }
        if smallest.map({ value < points[$0].value }) ?? true { smallest = index }
        if largest.map({ value > points[$0].value }) ?? true { largest = index }
    }
    return Set([smallest, largest, firstGap].compactMap { $0 })
}

/// Splits a history into runs of consecutive finite points: a NaN or ±∞ ends a segment,
/// so the chart's line breaks there instead of jumping across the missing value.
func finiteSegments(_ points: [MetricPoint]) -> [[MetricPoint]] {
    var segments: [[MetricPoint]] = []
    var current: [MetricPoint] = []
    for point in points {
        if point.value.isFinite {
            current.append(point)
        } else if !current.isEmpty {
            segments.append(current)
            current = []
        }
    }
    if !current.isEmpty { segments.append(current) }
    return segments
}
