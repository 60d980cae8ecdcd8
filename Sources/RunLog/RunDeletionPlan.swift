import Foundation

/// What deleting a run touches: its folder's files (which `--delete-files` removes) and the
/// files it recorded elsewhere (which stay).
public struct RunDeletionPlan {
    /// The run to delete, as stored.
    public let record: RunRecord
    /// The run's own folder, when known and safe to remove (absolute, named by the run id).
    public let folder: URL?
    /// Whether `folder` is on disk as a folder; false when there is no `folder`.
    public let folderExists: Bool
    /// Why the folder may not be removed, when it may not (not the run's own, a link, or
    /// holding another run's folder or the store).
    public let problem: String?
    /// Every file under the folder, with its size.
    public let files: [(path: String, bytes: Int)]
    /// Recorded files outside the folder.
    public let outside: [ArtifactRecord]
    /// How many measurements (evaluations and calibrations) the run has; deleting its record deletes them.
    public let measurementCount: Int
    /// How many metric rows the run has logged; deleting its record deletes them.
    public let metricRows: Int

    /// Works out, changing nothing, what deleting `record` from `store` touches: its folder (the recorded one, else
    /// the one its last checkpoint is in) and whether it is safe to remove, the files under it, and the recorded
    /// files outside it.
    public init(_ record: RunRecord, in store: RunStore) throws {
        self.record = record
        let artifacts = try store.artifacts(of: record.id)
        // Runs recorded before folders were kept: the folder their last checkpoint is in.
        let path =
            record.folder
            ?? artifacts.first { $0.kind == "checkpoint" && $0.path.hasSuffix("/\(record.id)/last.safetensors") }
            .map { ($0.path as NSString).deletingLastPathComponent }
        let candidate = path.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
        var problem: String?
        if let candidate,
            !(candidate.path.hasPrefix("/") && candidate.lastPathComponent == record.id
                && candidate.pathComponents.count > 2)
        {
            problem = "the recorded folder \(candidate.path) is not the run's own (it is not named by the run's id)"
        }
        let folder = problem == nil ? candidate : nil
        self.folder = folder
        var isDirectory: ObjCBool = false
        folderExists =
            folder.map {
                FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
            } ?? false
        if let folder, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder.path) {
            problem = "\(folder.path) is a link to \(target), not a folder of the run's own"
        }
        let prefix = folder.map { $0.path + "/" }
        if let prefix, problem == nil {
            if URL(fileURLWithPath: store.path).standardizedFileURL.path.hasPrefix(prefix) {
                problem = "\(folder?.path ?? "") holds the run store"
            } else if let nested = try store.runs().first(where: {
                $0.id != record.id && ($0.folder ?? "").hasPrefix(prefix)
            }) {
                problem = "\(folder?.path ?? "") holds the folder of run \(nested.id)"
            }
        }
        self.problem = problem
        files = folderExists && problem == nil ? Self.files(under: folder!) : []
        outside = artifacts.filter { artifact in
            prefix.map { !URL(fileURLWithPath: artifact.path).standardizedFileURL.path.hasPrefix($0) } ?? true
        }
        measurementCount = try store.measurements(of: record.id).count
        metricRows = try store.metricRowCount(of: record.id)
    }

    /// Regular files and links under `folder` (links are removed, never followed), sorted.
    static func files(under folder: URL) -> [(path: String, bytes: Int)] {
        guard
            let walker = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.fileSizeKey, .isDirectoryKey],
                options: [])
        else { return [] }
        var result: [(String, Int)] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if values?.isDirectory == true { continue }
            result.append((url.path, values?.fileSize ?? 0))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// What will be deleted and what kept, for the user to confirm.
    public func describe(deletingFiles: Bool, storePath: String) -> String {
        var lines = [
            "run \(record.id)" + (record.name == record.id ? "" : " (\(record.name))")
                + " · \(record.displayStatus()) · "
                + "\(measurementCount) measurement\(measurementCount == 1 ? "" : "s") · \(metricRows) metric rows",
            "  its record in \(storePath) will be deleted",
        ]
        let total = files.reduce(0) { $0 + $1.bytes }
        if let folder, folderExists, problem == nil {
            if deletingFiles {
                lines.append(
                    "  its folder \(folder.path) will be deleted: \(files.count) file\(files.count == 1 ? "" : "s"), "
                        + Self.size(total))
                let shown = files.prefix(20)
                lines += shown.map { "    \($0.path.dropFirst(folder.path.count + 1))  \(Self.size($0.bytes))" }
                if files.count > shown.count { lines.append("    … and \(files.count - shown.count) more") }
            } else {
                lines.append(
                    "  its folder \(folder.path) (\(files.count) files, \(Self.size(total))) is kept; --delete-files deletes it"
                )
            }
        } else if let problem {
            lines.append("  nothing on disk is deleted: \(problem)")
        } else if deletingFiles {
            lines.append("  no folder of the run on disk" + (folder.map { " (\($0.path) is gone)" } ?? " is recorded"))
        }
        if !outside.isEmpty {
            lines.append("  kept, outside the run's folder:")
            lines += outside.map {
                "    \($0.path) (\($0.kind)\(FileManager.default.fileExists(atPath: $0.path) ? "" : ", missing"))"
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Deletes the run's record and, when `deletingFiles`, its folder first (a folder that
    /// cannot be deleted leaves the record in place).
    public func perform(deletingFiles: Bool, in store: RunStore) throws {
        if deletingFiles, let problem { throw RunDeletionError(description: "not deleted: \(problem)") }
        if deletingFiles, let folder, !files.isEmpty || folderExists {
            do {
                try FileManager.default.removeItem(at: folder)
            } catch {
                throw RunDeletionError(
                    description: "cannot delete \(folder.path): \(FileError.reason(error)); the run stays in the store")
            }
        }
        try store.deleteRun(id: record.id)
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20
            ? String(format: "%.1f MiB", Double(bytes) / 1_048_576)
            : bytes >= 1 << 10 ? String(format: "%.1f KiB", Double(bytes) / 1024) : "\(bytes) bytes"
    }
}

/// A run whose files could not be deleted.
public struct RunDeletionError: Error, CustomStringConvertible {
    /// What could not be deleted and why, and that the run stays in the store.
    public let description: String
}
