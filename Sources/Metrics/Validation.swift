// Checks shared by the metrics: each throws `MetricsError` at the first bad element, so
// the message points at something the caller can look up.

/// Throws unless `values` is non-empty and every element is finite.
func requireFinite(_ values: [Double], named name: String) throws {
    guard !values.isEmpty else { throw MetricsError.empty(values: name) }
    if let index = values.firstIndex(where: { !$0.isFinite }) {
        throw MetricsError.nonFinite(values: name, index: index)
    }
}

/// Throws unless `values` is non-empty and every element is finite and in [0, 1].
func requireUnitInterval(_ values: [Double], named name: String) throws {
    try requireFinite(values, named: name)
    if let index = values.firstIndex(where: { !(0...1).contains($0) }) {
        throw MetricsError.outOfRange(values: name, index: index, value: values[index], range: "[0, 1]")
    }
}

/// Stops unless `rows` and `labels` have one entry per sample, every row has the same
/// number of classes and every label is a class; returns the number of classes.
/// `rows` must be non-empty (callers check that first, as it is a data problem).
@discardableResult
func requireLabelled(_ rows: [[Double]], labels: [Int], rowName: String) -> Int {
    precondition(
        rows.count == labels.count,
        "\(rows.count) rows of \(rowName) but \(labels.count) labels")
    let classes = rows.first?.count ?? 0
    precondition(classes > 0, "\(rowName) rows have no classes")
    for (index, row) in rows.enumerated() {
        precondition(
            row.count == classes,
            "\(rowName) row \(index) has \(row.count) classes, row 0 has \(classes)")
        precondition(
            (0..<classes).contains(labels[index]),
            "label \(labels[index]) of sample \(index) is outside 0..<\(classes)")
    }
    return classes
}

/// Throws unless `rows` is non-empty and every element is finite; with `unitInterval`,
/// also unless every element is in [0, 1]. Errors name the sample and the class.
func requireRows(_ rows: [[Double]], named name: String, unitInterval: Bool) throws {
    guard !rows.isEmpty else { throw MetricsError.empty(values: name) }
    for (sample, row) in rows.enumerated() {
        let rowName = "\(name) of sample \(sample)"
        if let index = row.firstIndex(where: { !$0.isFinite }) {
            throw MetricsError.nonFinite(values: rowName, index: index)
        }
        if unitInterval, let index = row.firstIndex(where: { !(0...1).contains($0) }) {
            throw MetricsError.outOfRange(values: rowName, index: index, value: row[index], range: "[0, 1]")
        }
    }
}
