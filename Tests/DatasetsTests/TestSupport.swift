import CZlib
import Foundation
@_exported import TestSupport
import Testing

@testable import Datasets

/// `bytes` as one gzip member (zlib's deflate with windowBits 31: a gzip header and trailer).
func gzip(_ bytes: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
    var stream = z_stream()
    let status = deflateInit2_(
        &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
        ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
    var input = bytes
    let result = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { sink in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            stream.next_out = sink.baseAddress
            stream.avail_out = uInt(sink.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    precondition(result == Z_STREAM_END, "deflate did not finish: \(result)")
    output.removeLast(output.count - Int(stream.total_out))
    return output
}

/// An unsigned-byte IDX file: magic 00 00 08 n, big-endian extents, then `elements`.
func idxBytes(dimensions: [Int], elements: [UInt8], typeCode: UInt8 = 0x08) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, typeCode, UInt8(dimensions.count)]
    for extent in dimensions {
        bytes += [
            UInt8(extent >> 24 & 0xFF), UInt8(extent >> 16 & 0xFF), UInt8(extent >> 8 & 0xFF), UInt8(extent & 0xFF),
        ]
    }
    return bytes + elements
}

/// Bytes 0, 1, 2, … (mod 256): distinguishable elements.
func ramp(_ count: Int, from start: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8((start + $0) % 256) }
}

/// Runs `body`, which must throw a `DatasetError` whose description names `file` (its last
/// path component) and contains every fragment; returns the error.
@discardableResult
func expectDatasetError(
    naming file: URL, _ fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Any
) -> DatasetError? {
    do {
        let value = try body()
        Issue.record(
            "expected an error naming \(file.lastPathComponent), got \(type(of: value))",
            sourceLocation: sourceLocation)
        return nil
    } catch let error as DatasetError {
        let text = error.description
        #expect(
            text.contains(file.lastPathComponent), "'\(text)' does not name \(file.lastPathComponent)",
            sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(text.contains(fragment), "'\(text)' does not say '\(fragment)'", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected a DatasetError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
