import Crypto
import Foundation

/// Artifact checksums: SHA-256 from swift-crypto (Foundation on Linux has no CryptoKit).
enum Checksum {
    /// The SHA-256 digest of `data` as 64 lowercase hex digits.
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
