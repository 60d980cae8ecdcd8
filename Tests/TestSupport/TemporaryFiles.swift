import Foundation

/// A fresh folder under the system's temporary folder, named `prefix-UUID`; the caller
/// removes it.
public func makeTemporaryDirectory(_ prefix: String = "joule-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A fresh folder under the system's temporary folder, removed after `body`.
@discardableResult
public func withTemporaryDirectory<R>(_ prefix: String = "joule-tests", _ body: (URL) throws -> R) throws -> R {
    let url = try makeTemporaryDirectory(prefix)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Writes `bytes` to `name` in `directory` (creating subfolders) and returns its URL.
@discardableResult
public func writeFile(_ bytes: [UInt8], named name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url
}

/// The package's root folder, found from this file's path (tests may run from any folder).
public let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
