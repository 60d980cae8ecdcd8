import Foundation

/// The version of Joule that ran: `$JOULE_CODE_VERSION`, else the git commit of the source
/// tree it was built from (with `-dirty` for uncommitted changes) when that tree is still
/// there, else nil.
enum CodeVersion {
    static let current: String? = {
        if let version = ProcessInfo.processInfo.environment["JOULE_CODE_VERSION"], !version.isEmpty { return version }
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: sources.path),
              let commit = git(["rev-parse", "--short=12", "HEAD"], in: sources) else { return nil }
        let dirty = git(["status", "--porcelain", "--untracked-files=no"], in: sources).map { !$0.isEmpty } ?? false
        return commit + (dirty ? "-dirty" : "")
    }()

    private static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", directory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
