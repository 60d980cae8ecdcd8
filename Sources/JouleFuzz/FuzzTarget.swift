import Checkpoints
import Datasets
import Foundation
import RunLog
import Runs

/// The parsers of outside input, each driven with arbitrary bytes through the public entry
/// point a user's file reaches. A thrown error is the right answer to bad input; a crash, a
/// hang or an unbounded allocation is a finding.
enum FuzzTarget: String, CaseIterable {
    /// IDX image and label files (Fashion-MNIST), gzip-compressed or raw.
    case idx
    /// The MNIST-5k CSV (784 pixels and a label per row), gzip-compressed or plain.
    case csv
    /// One PNG image through the folder loader's decoding (libpng's simplified API).
    case png
    /// A safetensors checkpoint, then the Joule checkpoint it may hold and the model it builds.
    case safetensors
    /// A YAML training configuration (`joule train --config`).
    case yaml
    /// A `joule runs list --where` expression (first line) and `--order-by` (second line),
    /// run against a small run store: every expression that parses must give valid SQL.
    case filter

    /// Runs one input through the parser: true when it was accepted, false when refused
    /// with an error (the right answer to bad input).
    @discardableResult
    func run(_ input: UnsafeRawBufferPointer, in scratch: FuzzScratch) -> Bool {
        switch self {
        case .idx:
            return (try? IDXFile.read(from: scratch.write(input, as: "input.idx"))) != nil
        case .csv:
            return (try? MNIST5k.load(from: scratch.write(input, as: "input.csv"))) != nil
        case .png:
            return (try? PNGFolder.loadUnlabeled(paths: [scratch.write(input, as: "input.png")])) != nil
        case .safetensors:
            return runCheckpoint(scratch.write(input, as: "input.safetensors"))
        case .yaml:
            let url = scratch.write(input, as: "input.yaml")
            var configuration = RunConfiguration()
            guard (try? configuration.apply(contentsOf: url)) != nil else { return false }
            return (try? configuration.validated()) != nil
        case .filter:
            return runFilter(String(decoding: input, as: UTF8.self), store: scratch.store)
        }
    }

    /// Everything `joule evaluate` does with a checkpoint before it computes anything: read
    /// as safetensors; when it is a Joule checkpoint, decode it and build its model (and its
    /// generator). True when the file reads as safetensors.
    private func runCheckpoint(_ url: URL) -> Bool {
        guard (try? SafeTensors.read(from: url)) != nil else { return false }
        guard let checkpoint = try? TrainingCheckpoint.read(from: url) else { return true }
        _ = try? checkpoint.makeModel(path: url.path)
        if checkpoint.configuration.core.objective.isLearnedSampler {
            _ = try? checkpoint.learnedSampler(path: url.path)
        }
        return true
    }

    private func runFilter(_ text: String, store: RunStore) -> Bool {
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let filter = try? RunFilter.parse(lines[0])
        let ordering = lines.count > 1 ? try? RunOrdering.parse(lines[1]) : nil
        guard filter != nil || ordering != nil else { return false }
        do {
            _ = try store.runs(where: filter, orderedBy: ordering ?? .newestFirst, limit: 10)
        } catch {
            // A parsed filter that SQLite refuses means user text changed the SQL's shape.
            fatalError(
                "parsed filter \(lines[0].debugDescription) / ordering \(lines.dropFirst().first.debugDescription) gave failing SQL: \(error)"
            )
        }
        return true
    }
}

/// A private directory (in memory where the system has /dev/shm) that each input is written
/// to before the parser reads it as a file, and the run store the filter target queries.
final class FuzzScratch {
    let directory: URL
    let store: RunStore

    init() throws {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        directory = URL(fileURLWithPath: base).appendingPathComponent("joule-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try RunStore(path: directory.appendingPathComponent("runs.sqlite").path)
        for (index, name) in ["first", "<b>second</b>", "third' OR 1=1 --"].enumerated() {
            let id = "run-\(index)"
            try store.createRun(
                NewRun(
                    id: id, name: name, experiment: "fuzz", seed: index, objective: "jem",
                    params: ["lr": "\(0.001 * Double(index + 1))", "model": "mlp"],
                    tags: ["note": name]))
            try store.logMetrics(
                [MetricRecord(key: "test/accuracy", step: 10, value: 0.5 + Double(index) / 10)], for: id)
        }
    }

    /// Writes `bytes` to the scratch file `name` (replacing it) and returns its URL.
    func write(_ bytes: UnsafeRawBufferPointer, as name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write the scratch file \(url.path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0 || errno == EINTR, "cannot write the scratch file \(url.path)")
            if n > 0 { written += n }
        }
        return url
    }

    /// Removes the directory (on a clean exit; libFuzzer's crashes leave it for inspection).
    func remove() { try? FileManager.default.removeItem(at: directory) }
}
