/// Where one tensor lies in the data section, and how to read it; validated.
struct TensorLayout: Equatable, Sendable {
    var name: String
    var dtype: DType
    var shape: [Int]
    /// Byte range in the data section.
    var begin: Int, end: Int
    /// Product of `shape`.
    var elementCount: Int
}

/// Checks a parsed header against the format and the data section before any of its sizes
/// is trusted: field types, dtypes, shapes (overflow-checked), byte ranges that fit their
/// shape and tile the data section exactly — no overlaps, holes or trailing bytes, as the
/// reference implementation requires — and the element limit.
enum HeaderValidation {
    /// The metadata and the tensors' layouts, in header order.
    static func validate(
        _ header: JSONValue, dataSize: Int, limits: SafeTensorsLimits, path: String
    ) throws -> (metadata: [String: String], layouts: [TensorLayout]) {
        func fail(_ problem: CheckpointError.Problem) -> CheckpointError {
            CheckpointError(path: path, problem: problem)
        }
        guard case .object(let members) = header else { throw fail(.headerNotAnObject) }

        var metadata: [String: String] = [:]
        var layouts: [TensorLayout] = []
        var totalElements = 0
        for (key, value) in members {
            if key == SafeTensors.metadataKey {
                metadata = try parseMetadata(value, fail)
                continue
            }
            let layout = try parseEntry(named: key, value, fail)
            guard layout.end <= dataSize else {
                throw fail(.offsetsOutOfRange(name: key, end: layout.end, dataSize: dataSize))
            }
            let (sum, overflow) = totalElements.addingReportingOverflow(layout.elementCount)
            guard !overflow, sum <= limits.maxElements else { throw fail(.tooManyElements(limit: limits.maxElements)) }
            totalElements = sum
            layouts.append(layout)
        }
        try checkTiling(layouts, dataSize: dataSize, fail)
        return (metadata, layouts)
    }

    private static func parseMetadata(
        _ value: JSONValue, _ fail: (CheckpointError.Problem) -> CheckpointError
    ) throws -> [String: String] {
        // The reference implementation reads `null` as no metadata.
        if value == .null { return [:] }
        guard case .object(let members) = value else {
            throw fail(.invalidMetadata(reason: "is \(value.kind), not an object"))
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard let string = value.string else {
                throw fail(.invalidMetadata(reason: "value of '\(key)' is \(value.kind), not a string"))
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func parseEntry(
        named name: String, _ value: JSONValue, _ fail: (CheckpointError.Problem) -> CheckpointError
    ) throws -> TensorLayout {
        func invalid(_ reason: String) -> CheckpointError { fail(.invalidEntry(name: name, reason: reason)) }
        guard case .object(let members) = value else { throw invalid("is \(value.kind), not an object") }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for required in ["dtype", "shape", "data_offsets"] where fields[required] == nil {
            throw invalid("missing '\(required)'")
        }
        if let extra = members.first(where: { !["dtype", "shape", "data_offsets"].contains($0.key) }) {
            throw invalid("unexpected field '\(extra.key)'")
        }

        guard let dtypeName = fields["dtype"]?.string else {
            throw invalid("dtype is \(fields["dtype"]?.kind ?? ""), not a string")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw fail(.unsupportedDType(name: name, dtype: dtypeName))
        }

        let shapeRule = "shape must be an array of non-negative integers"
        guard case .array(let shapeValues) = fields["shape"] else { throw invalid(shapeRule) }
        let shape = shapeValues.compactMap(\.integer)
        guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }) else { throw invalid(shapeRule) }

        guard case .array(let offsetValues) = fields["data_offsets"], offsetValues.count == 2,
            let begin = offsetValues[0].integer, let end = offsetValues[1].integer,
            begin >= 0, end >= 0
        else { throw invalid("data_offsets must be two non-negative integers") }
        guard begin <= end else { throw fail(.invalidOffsets(name: name, begin: begin, end: end)) }

        guard let elementCount = checkedElementCount(shape) else {
            throw fail(.elementCountOverflow(name: name, shape: shape))
        }
        let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw fail(.elementCountOverflow(name: name, shape: shape)) }
        guard byteCount == end - begin else {
            throw fail(.sizeMismatch(name: name, expectedBytes: byteCount, actualBytes: end - begin))
        }
        return TensorLayout(
            name: name, dtype: dtype, shape: shape, begin: begin, end: end,
            elementCount: elementCount)
    }

    /// The product of the extents, or `nil` when it, or the product of the nonzero extents,
    /// overflows: a zero extent must not hide a shape whose other products (strides) overflow.
    static func checkedElementCount(_ shape: [Int]) -> Int? {
        var product = 1
        var nonzeroProduct = 1
        for extent in shape {
            let (p, o1) = product.multipliedReportingOverflow(by: extent)
            let (q, o2) = nonzeroProduct.multipliedReportingOverflow(by: Swift.max(extent, 1))
            if o1 || o2 { return nil }
            product = p
            nonzeroProduct = q
        }
        return product
    }

    /// The byte ranges, sorted, must cover `0..<dataSize` end to end.
    private static func checkTiling(
        _ layouts: [TensorLayout], dataSize: Int, _ fail: (CheckpointError.Problem) -> CheckpointError
    ) throws {
        // Empty ranges sort before a non-empty one at the same offset, so they never overlap it.
        let sorted = layouts.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        var previous: String?
        for layout in sorted {
            if layout.begin < cursor, let previous {
                throw fail(.overlappingRanges(first: previous, second: layout.name))
            }
            if layout.begin > cursor {
                throw fail(.hole(begin: cursor, end: layout.begin, before: layout.name))
            }
            cursor = layout.end
            previous = layout.name
        }
        guard cursor == dataSize else { throw fail(.trailingBytes(dataEnd: cursor, dataSize: dataSize)) }
    }
}
