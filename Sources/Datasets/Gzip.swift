import CZlib

/// gzip decompression through zlib (Foundation on Linux has none), bounded in output size.
enum Gzip {
    /// Whether `bytes` start with the gzip magic 1f 8b.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The concatenated contents of every gzip member in `bytes`.
    ///
    /// Output is refused past `maximumBytes`, so a small hostile file (deflate reaches
    /// about 1000:1) cannot exhaust memory. Anything after the last member other than
    /// another gzip member, and a stream that ends early, are errors naming `path`.
    static func decompress(_ bytes: [UInt8], maximumBytes: Int, path: String) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: the largest window, and accept either a gzip or a zlib header.
        // (`inflateInit2` is a C macro, so Swift calls the function behind it.)
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw DatasetError.unreadable(path: path, reason: "zlib could not start (inflateInit2 returned \(status))")
        }
        defer { inflateEnd(&stream) }

        // Start from the size the gzip trailer states (mod 2^32), but never trust it beyond
        // what deflate could produce from this many bytes, nor beyond the cap.
        var output = [UInt8](repeating: 0, count: initialCapacity(bytes, maximumBytes: maximumBytes))
        var produced = 0

        try bytes.withUnsafeBufferPointer { input in
            guard let inputBase = input.baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: inputBase)
            stream.avail_in = uInt(input.count)
            while true {
                if produced == output.count {
                    guard output.count <= maximumBytes else {
                        throw DatasetError.malformed(
                            path: path,
                            reason:
                                "gzip stream inflates to more than \(maximumBytes) bytes (refused as a decompression bomb)"
                        )
                    }
                    // Grow geometrically, one byte past the cap so that exceeding it shows.
                    let grown = min(max(output.count * 2, 1 << 16), maximumBytes + 1)
                    output.append(contentsOf: repeatElement(0, count: grown - output.count))
                }
                let room = min(output.count - produced, Int(UInt32.max))
                let result = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress.map { $0 + produced }
                    stream.avail_out = uInt(room)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                produced += room - Int(stream.avail_out)
                switch result {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let rest = Int(stream.avail_in)
                    if rest == 0 { return }
                    let next = input.count - rest
                    // Concatenated members are valid gzip (`cat a.gz b.gz`); anything else is not.
                    guard rest >= 2, input[next] == 0x1F, input[next + 1] == 0x8B else {
                        throw DatasetError.malformed(
                            path: path, reason: "\(rest) bytes of trailing garbage after the gzip stream")
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR:
                    // No progress with output room left: the input ran out mid-stream.
                    throw DatasetError.malformed(
                        path: path, reason: "truncated gzip stream (ends after \(produced) decompressed bytes)")
                case Z_MEM_ERROR:
                    throw DatasetError.unreadable(path: path, reason: "zlib ran out of memory")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(result)"
                    throw DatasetError.malformed(path: path, reason: "corrupt gzip stream: \(message)")
                }
            }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// The starting output size: the trailer's ISIZE, bounded by deflate's best ratio and the cap.
    private static func initialCapacity(_ bytes: [UInt8], maximumBytes: Int) -> Int {
        guard bytes.count >= 18 else { return 1 << 16 }
        let n = bytes.count
        let stated = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
        let plausible = bytes.count.multipliedReportingOverflow(by: 1032).partialValue
        return max(1, min(stated, plausible, maximumBytes))
    }
}
