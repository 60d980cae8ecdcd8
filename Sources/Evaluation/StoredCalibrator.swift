import Foundation
import Metrics

/// A calibrator fitted for one checkpoint of a run, kept as JSON beside it
/// (`best.safetensors` → `best.calibrator.json`); `joule evaluate` applies it when present.
public struct StoredCalibrator: Codable, Sendable, Equatable {
    public var calibrator: Calibrator
    /// The set it was fitted on ("validation") and its size.
    public var fittedOn: String
    public var count: Int
    /// The checkpoint file it belongs to, and the training step that file held.
    public var checkpoint: String
    public var step: Int?

    public init(calibrator: Calibrator, fittedOn: String, count: Int, checkpoint: String, step: Int?) {
        self.calibrator = calibrator
        self.fittedOn = fittedOn
        self.count = count
        self.checkpoint = checkpoint
        self.step = step
    }

    enum CodingKeys: String, CodingKey {
        case calibrator, fittedOn = "fitted_on", count, checkpoint, step
    }

    /// A short description for outputs: "temperature (T = 1.532)", "isotonic", "histogram".
    public var summary: String {
        switch calibrator {
        case .temperature(let t): return "temperature (T = \(String(format: "%.4g", t.temperature)))"
        default: return calibrator.method.rawValue
        }
    }

    /// Where the calibrator of `checkpoint` lives.
    public static func url(forCheckpoint checkpoint: URL) -> URL {
        checkpoint.deletingPathExtension().appendingPathExtension("calibrator.json")
    }

    /// The calibrator stored for `checkpoint`, or nil when there is none.
    ///
    /// - Throws: `EvaluationError` naming the file when it exists but cannot be read.
    public static func load(forCheckpoint checkpoint: URL) throws -> StoredCalibrator? {
        let url = url(forCheckpoint: checkpoint)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        // A calibrator is a few kilobytes; refuse to read anything absurd.
        guard let size = attributes?[.size] as? Int, size <= 16 << 20, let data = FileManager.default.contents(atPath: url.path) else {
            throw EvaluationError.invalid("\(url.path): unreadable or larger than 16 MiB")
        }
        do {
            return try JSONDecoder().decode(StoredCalibrator.self, from: data)
        } catch {
            throw EvaluationError.invalid("\(url.path): not a Joule calibrator (\(error))")
        }
    }

    /// The calibrator stored for `checkpoint` when it was fitted on the weights the file now
    /// holds (training step `step`); a calibrator left from before the run was resumed is
    /// not applied, and `log` says so.
    public static func loadCurrent(forCheckpoint checkpoint: URL, step: Int, log: (String) -> Void) throws -> StoredCalibrator? {
        guard let stored = try load(forCheckpoint: checkpoint) else { return nil }
        if let fitted = stored.step, fitted != step {
            log("not applying \(url(forCheckpoint: checkpoint).path): fitted at step \(fitted), the checkpoint is now at step \(step) "
                + "(run joule calibrate again)")
            return nil
        }
        return stored
    }

    /// Writes the calibrator beside `checkpoint`, atomically.
    public func write(forCheckpoint checkpoint: URL) throws -> URL {
        let url = Self.url(forCheckpoint: checkpoint)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
        return url
    }
}
