import Foundation
import Tensors

extension SafeTensors {
    /// Reads a safetensors file, converting every tensor to Float32.
    ///
    /// Nothing the file states is trusted before it is checked: the header length against
    /// `limits.maxHeaderBytes` and the file's size (before the header is read), the header
    /// as strict JSON (duplicate keys refused), each entry's fields, dtype, shape and byte
    /// range, that the ranges tile the data section exactly, and the total element count
    /// against `limits.maxElements` — all before any tensor is allocated. Entries come back
    /// in the header's order.
    ///
    /// - Throws: `CheckpointError` naming the file and the problem.
    public static func read(from url: URL, limits: SafeTensorsLimits = .default) throws -> SafeTensors {
        guard url.isFileURL else {
            throw CheckpointError(path: url.absoluteString, problem: .cannotOpen(reason: "not a file URL"))
        }
        let file = try FileReader(path: url.path)
        let path = file.path
        func fail(_ problem: CheckpointError.Problem) -> CheckpointError {
            CheckpointError(path: path, problem: problem)
        }

        guard file.size >= 8 else { throw fail(.fileTooShort(size: file.size)) }
        let lengthBytes = try file.bytes(count: 8, at: 0)
        let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let maxHeader = Swift.max(0, limits.maxHeaderBytes)
        guard length <= UInt64(maxHeader) else { throw fail(.headerTooLarge(length: length, limit: maxHeader)) }
        guard length <= UInt64(file.size - 8) else {
            throw fail(.headerBeyondFile(length: length, available: file.size - 8))
        }
        let headerLength = Int(length)
        let headerBytes = try file.bytes(count: headerLength, at: 8)

        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw fail(.headerNotUTF8) }
        let header: JSONValue
        do {
            header = try JSONParser.parse(headerBytes)
        } catch .syntax(let reason, let offset) {
            throw fail(.invalidJSON(reason: reason, offset: offset))
        } catch .duplicateKey(let key, let topLevel, let offset) {
            throw fail(
                topLevel
                    ? .duplicateTensorName(key)
                    : .invalidJSON(reason: "duplicate key '\(key)'", offset: offset))
        }

        let dataStart = 8 + headerLength
        let (metadata, layouts) = try HeaderValidation.validate(
            header, dataSize: file.size - dataStart, limits: limits, path: path)

        var result = SafeTensors(metadata: metadata)
        for layout in layouts {
            let tensor = try readTensor(layout, from: file, at: dataStart + layout.begin)
            try result.append(tensor, named: layout.name)
        }
        return result
    }

    /// Bytes converted per read for dtypes other than little-endian F32 (a multiple of 8).
    private static let conversionChunk = 1 << 20

    /// One tensor's elements, read from `offset` and converted to Float32.
    private static func readTensor(_ layout: TensorLayout, from file: FileReader, at offset: Int) throws -> Tensor {
        var tensor = Tensor(repeating: 0, shape: layout.shape)
        guard layout.elementCount > 0 else { return tensor }
        try tensor.withUnsafeMutableBufferPointer { output in
            #if _endian(little)
                if layout.dtype == .f32 {
                    try file.read(into: UnsafeMutableRawBufferPointer(output), at: offset)
                    return
                }
            #endif
            let elementsPerChunk = conversionChunk / layout.dtype.size
            var scratch = [UInt8](repeating: 0, count: Swift.min(conversionChunk, layout.end - layout.begin))
            var first = 0
            while first < output.count {
                let n = Swift.min(elementsPerChunk, output.count - first)
                let bytes = n * layout.dtype.size
                try scratch.withUnsafeMutableBytes { raw in
                    let chunk = UnsafeMutableRawBufferPointer(rebasing: raw.prefix(bytes))
                    try file.read(into: chunk, at: offset + first * layout.dtype.size)
                    layout.dtype.convert(
                        UnsafeRawBufferPointer(chunk),
                        into: UnsafeMutableBufferPointer(rebasing: output[first..<(first + n)]))
                }
                first += n
            }
        }
        return tensor
    }
}
