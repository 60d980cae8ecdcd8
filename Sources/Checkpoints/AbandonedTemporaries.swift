import Foundation

/// Temporary files that a writer killed mid-write left behind.
///
/// `AtomicFile` writes `.NAME.tmp-PID-RANDOM` beside the destination and renames it over
/// the destination once complete; a process killed before the rename (SIGKILL, power cut)
/// leaves that file. The destination itself is whole (the old or the new version), but the
/// half-written temporary would stay, as large as a checkpoint, for good.
public enum AbandonedTemporaries {
    /// Removes the temporaries for `url` whose writing process no longer runs; returns
    /// their paths. Those of live processes (another writer now) are left alone.
    @discardableResult
    public static func remove(beside url: URL) -> [String] {
        let directory = url.deletingLastPathComponent()
        let prefix = "." + (String(url.lastPathComponent.utf8.prefix(200)) ?? "checkpoint") + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            // kill(pid, 0) probes without signalling: ESRCH means no such process.
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = directory.appendingPathComponent(name).path
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}
