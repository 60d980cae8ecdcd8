import Foundation
import Tensors
@_exported import TestSupport
import Testing

@testable import Checkpoints

/// The bytes of a safetensors file: the header's length (little-endian), the header, the data.
func safetensorsBytes(header: String, data: [UInt8] = []) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return littleEndianBytes(UInt64(headerBytes.count)) + headerBytes + data
}

/// The little-endian bytes of an integer.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// Little-endian bytes of a list of integers (or bit patterns).
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { littleEndianBytes($0) }
}

/// Writes `bytes` as a safetensors file `name` in `directory` and returns its URL.
func writeSafetensors(_ bytes: [UInt8], named name: String = "file.safetensors", in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

/// Reads `bytes` as a safetensors file and returns the error, failing the test if there is
/// none or it is of another type; also checks the error names the file.
func readingError(
    _ bytes: [UInt8], limits: SafeTensorsLimits = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> CheckpointError? {
    try withTemporaryDirectory { directory in
        let url = try writeSafetensors(bytes, in: directory)
        do {
            let file = try SafeTensors.read(from: url, limits: limits)
            Issue.record(
                "read \(file.count) tensors from a file that should be refused", sourceLocation: sourceLocation)
            return nil
        } catch let error as CheckpointError {
            #expect(error.path == url.path, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(url.path + ": "), sourceLocation: sourceLocation)
            return error
        }
    }
}

/// The elements' bit patterns, to compare tensors exactly (NaN payloads, signed zeros).
func bitPatterns(_ tensor: Tensor) -> [UInt32] {
    tensor.scalars.map(\.bitPattern)
}

/// The bytes of every file in `directory`, by name (to check nothing else changed).
func directoryContents(_ directory: URL) throws -> [String: Data] {
    var contents: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        let url = directory.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        contents[name] = isDirectory.boolValue ? Data() : try Data(contentsOf: url)
    }
    return contents
}
