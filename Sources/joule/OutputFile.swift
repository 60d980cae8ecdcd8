import Foundation
import RunLog

/// How every command writes a file the user named (`--out`): missing folders are created,
/// the file is written whole or not at all (a temporary file renamed over it), and a
/// failure names the path and the reason.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try prepare(url)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ValidationErrorText("cannot write \(path): \(FileError.reason(error))")
        }
    }

    /// Creates the folder `url` goes in, when missing.
    static func prepare(_ url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ValidationErrorText("cannot write \(url.path): \(folder.path) is not a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ValidationErrorText(
                "cannot write \(url.path): cannot create the folder \(folder.path) (\(FileError.reason(error)))")
        }
    }
}
