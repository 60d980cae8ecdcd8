/// The chunk framing of a PNG file, checked before libpng sees it.
///
/// libpng sizes a chunk's buffer from the length the chunk states, before it has read the
/// chunk: a 72-byte file whose zTXt chunk claims 1.6 GB made it allocate 1.6 GB (found by
/// `scripts/fuzz.sh png`). Every length is checked here against the bytes actually present,
/// so no chunk's buffer exceeds the file. (What a compressed chunk inflates to is libpng's
/// to bound: Debian's build caps ancillary chunks at 8 MB, and the image data is sized by
/// the header, which `PNGImage` bounds.)
enum PNGChunks {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Throws `DatasetError.malformed` naming `path` unless `bytes` start with the PNG
    /// signature and every chunk up to IEND (or the end of the file) fits in the file.
    static func check(_ bytes: [UInt8], path: String) throws {
        func fail(_ reason: String) -> DatasetError {
            .malformed(path: path, reason: "not a readable PNG file (\(reason))")
        }
        guard bytes.count >= signature.count, Array(bytes[0..<signature.count]) == signature else {
            throw fail("it does not start with the PNG signature")
        }
        var offset = signature.count
        while offset < bytes.count {
            // Length (4), type (4), data, CRC (4).
            guard bytes.count - offset >= 8 else {
                throw fail("truncated chunk header at byte \(offset)")
            }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(
                decoding: bytes[offset + 4..<offset + 8].map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") },
                as: UTF8.self)
            let available = bytes.count - offset - 12
            guard length <= Int(Int32.max) else {
                throw fail("chunk '\(type)' at byte \(offset) claims \(length) bytes, more than PNG allows (2^31 - 1)")
            }
            guard length <= available else {
                throw fail(
                    "chunk '\(type)' at byte \(offset) claims \(length) bytes but the file holds \(max(0, available)) after its header (truncated)"
                )
            }
            offset += 12 + length
            if type == "IEND" { return }
        }
    }
}
