import Foundation

/// Reader for IDX files holding unsigned bytes (LeCun's MNIST format, also Fashion-MNIST's),
/// gzip-compressed or raw.
///
/// Layout: a 4-byte magic `00 00 08 n` (`08`: unsigned bytes; `n`: the number of
/// dimensions), `n` big-endian 32-bit extents, then the elements row-major. Every claim of
/// the header is checked against the bytes actually present before anything is sized from it.
public enum IDXFile {
    /// Most elements a file may claim: 2^31, far above any image set this library reads.
    public static let maximumElementCount = 1 << 31

    /// The extents and the elements of an unsigned-byte IDX file.
    ///
    /// - Parameters:
    ///   - url: the file; gzip is detected by its magic (1f 8b), not by the name.
    ///   - maximumBytes: the most the file, and its decompressed contents, may hold
    ///     (default 1 GiB), so that a decompression bomb fails cleanly.
    /// - Throws: `DatasetError` naming the file: missing or unreadable, corrupt or truncated
    ///   gzip, bad magic, an unsupported element type, zero or absurd extents, or a size
    ///   that disagrees with the header.
    public static func read(from url: URL, maximumBytes: Int = 1 << 30) throws
        -> (dimensions: [Int], bytes: [UInt8])
    {
        var contents = try FileBytes.readDecompressing(url, maximumBytes: maximumBytes)
        let dimensions = try parseHeader(contents, path: url.path)
        // Drop the header in place: the elements are most of the file, so no second copy.
        contents.removeFirst(4 + 4 * dimensions.count)
        return (dimensions, contents)
    }

    /// The extents stated by the header, once the header agrees with the file's length.
    static func parseHeader(_ contents: [UInt8], path: String) throws -> [Int] {
        func fail(_ reason: String) -> DatasetError { .malformed(path: path, reason: reason) }
        guard contents.count >= 4 else {
            throw fail("\(contents.count) bytes is too short for an IDX header (4-byte magic, then the extents)")
        }
        let magic = contents[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let magicText = "0x" + String(magic, radix: 16, uppercase: true).leftPadded(to: 8)
        guard contents[0] == 0, contents[1] == 0 else {
            throw fail("bad magic \(magicText): not an IDX file (expected 0x000008nn, n the number of dimensions)")
        }
        guard contents[2] == 0x08 else {
            let type = elementTypeNames[contents[2]].map { "\($0) elements" } ?? "an unknown element type"
            throw fail("bad magic \(magicText): \(type); only unsigned bytes (type 0x08) are supported")
        }
        let rank = Int(contents[3])
        guard (1...4).contains(rank) else {
            throw fail("bad magic \(magicText): \(rank) dimensions; expected 1 to 4")
        }
        let headerLength = 4 + 4 * rank
        guard contents.count >= headerLength else {
            throw fail("truncated header: \(rank) dimensions need \(headerLength) bytes, file holds \(contents.count)")
        }

        var dimensions: [Int] = []
        for axis in 0..<rank {
            let offset = 4 + 4 * axis
            let extent = contents[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard extent >= 1 else { throw fail("dimension \(axis) is 0; every extent must be at least 1") }
            dimensions.append(extent)
        }

        let claimed = dimensions.map(String.init).joined(separator: "×")
        // Each extent is below 2^32, so checking after every factor keeps the product in range.
        var elements = 1
        for extent in dimensions {
            elements *= extent
            guard elements <= maximumElementCount else {
                throw fail(
                    "header claims \(claimed) elements, more than the \(maximumElementCount) this reader accepts")
            }
        }
        let present = contents.count - headerLength
        guard present == elements else {
            let problem = present < elements ? "truncated" : "\(present - elements) bytes of trailing garbage"
            throw fail("header claims \(claimed) = \(elements) bytes but file holds \(present) (\(problem))")
        }
        return dimensions
    }

    /// The IDX element type codes, for error messages.
    private static let elementTypeNames: [UInt8: String] = [
        0x09: "signed byte", 0x0B: "16-bit integer", 0x0C: "32-bit integer",
        0x0D: "float32", 0x0E: "float64",
    ]
}

extension String {
    /// Left-padded with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
