import Foundation
import Tensors

extension SafeTensors {
    /// Writes the tensors as `F32`, in order, atomically.
    ///
    /// The header lists `__metadata__` first (when there is any, keys sorted), then each
    /// tensor in order with consecutive `data_offsets`; it is padded with spaces to a
    /// multiple of 8 bytes so the data section starts 8-byte aligned. The file replaces
    /// `url` only once complete and `fsync`ed (see `AtomicFile`): a crash or a full disk
    /// leaves any previous file as it was. A symbolic link at `url` is replaced by the file,
    /// not followed.
    ///
    /// - Throws: `CheckpointError` naming `url`, the failed step and the system's reason
    ///   (`write failed: No space left on device`).
    public func write(to url: URL) throws {
        try write(to: url, fault: nil)
    }

    /// The whole file's bytes, as `write(to:)` writes them, for writers that place the file themselves
    /// (versioned files linked into place without replacing one).
    public func serialized() -> Data {
        let header = encodedHeader()
        var data = Data(capacity: 8 + header.count + entries.reduce(0) { $0 + 4 * $1.tensor.scalarCount })
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for (_, tensor) in entries {
            tensor.withUnsafeBufferPointer { values in
                #if _endian(little)
                    data.append(UnsafeRawBufferPointer(values).bindMemory(to: UInt8.self))
                #else
                    for value in values {
                        var bits = value.bitPattern.littleEndian
                        withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
                    }
                #endif
            }
        }
        return data
    }

    /// `write(to:)`, with a failure injected at one step (for tests).
    func write(to url: URL, fault: AtomicFile.Fault?) throws {
        let header = encodedHeader()
        try AtomicFile.write(to: url, fault: fault) { sink in
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try sink.write($0) }
            try sink.write(header)
            for (_, tensor) in entries {
                try tensor.withUnsafeBufferPointer { try Self.writeLittleEndian($0, to: sink) }
            }
        }
    }

    /// The JSON header, padded with spaces to a multiple of 8 bytes.
    func encodedHeader() -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            let sorted = metadata.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.string($0.value)) }
            members.append((Self.metadataKey, .object(sorted)))
        }
        var offset = 0
        for (name, tensor) in entries {
            let end = offset + tensor.scalarCount * MemoryLayout<Float>.size
            members.append(
                (
                    name,
                    .object([
                        ("dtype", .string(DType.f32.rawValue)),
                        ("shape", .array(tensor.shape.map { .number(String($0)) })),
                        ("data_offsets", .array([.number(String(offset)), .number(String(end))])),
                    ])
                ))
            offset = end
        }
        var bytes = Array(JSONValue.object(members).serialized.utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// Float32 elements as little-endian bytes: straight from the tensor's buffer on
    /// little-endian machines, byte-swapped through a bounded buffer elsewhere.
    private static func writeLittleEndian(_ scalars: UnsafeBufferPointer<Float>, to sink: AtomicFile.Sink) throws {
        #if _endian(little)
            try sink.write(UnsafeRawBufferPointer(scalars))
        #else
            let chunk = 1 << 16
            var swapped = [UInt32](repeating: 0, count: chunk)
            var start = 0
            while start < scalars.count {
                let n = min(chunk, scalars.count - start)
                for i in 0..<n { swapped[i] = scalars[start + i].bitPattern.littleEndian }
                try swapped.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0.prefix(n * 4))) }
                start += n
            }
        #endif
    }
}
