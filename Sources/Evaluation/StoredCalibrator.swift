import Foundation
import Metrics

/// A calibrator fitted for one checkpoint of a run, kept as JSON beside it. Every fit is a
/// new version that is never overwritten: `best.safetensors` → `best.calibrator.v1.json`,
/// `best.calibrator.v2.json`, … (`best.calibrator.json`, without a number, is a calibrator
/// written before versions existed: version 0). `joule evaluate` and `joule score` apply
/// the newest version fitted on the weights the checkpoint holds, or the one asked for.
public struct StoredCalibrator: Codable, Sendable, Equatable {
    /// The fitted calibrator itself (its method and parameters).
    public var calibrator: Calibrator
    /// The set it was fitted on ("validation") and its size.
    public var fittedOn: String
    /// The number of images it was fitted on.
    public var count: Int
    /// The checkpoint file it belongs to, and the training step that file held.
    public var checkpoint: String
    /// The optimiser step the checkpoint held when the calibrator was fitted (nil when not recorded).
    public var step: Int?
    /// Its version among the checkpoint's calibrators (0: written before versions existed).
    public var version: Int
    /// When it was fitted (nil for files written before versions existed).
    public var fittedAt: Date?
    /// Split-conformal predictors on the calibrated probabilities (LAC, APS, RAPS), fitted on the conformal half
    /// of the hold-out; empty when none were asked for.
    public var conformal: [ConformalPredictor] = []

    /// A stored calibrator from its parts; `version` 0 and no `fittedAt` describe a file from before versions.
    public init(
        calibrator: Calibrator, fittedOn: String, count: Int, checkpoint: String, step: Int?, version: Int = 0,
        fittedAt: Date? = nil
    ) {
        self.calibrator = calibrator
        self.fittedOn = fittedOn
        self.count = count
        self.checkpoint = checkpoint
        self.step = step
        self.version = version
        self.fittedAt = fittedAt
    }

    enum CodingKeys: String, CodingKey {
        case calibrator
        case fittedOn = "fitted_on"
        case count, checkpoint, step, version
        case fittedAt = "fitted_at"
        case conformal
    }

    /// Decodes the JSON form (`fitted_at` in seconds since 1970); a file without `version` is version 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        calibrator = try c.decode(Calibrator.self, forKey: .calibrator)
        fittedOn = try c.decode(String.self, forKey: .fittedOn)
        count = try c.decode(Int.self, forKey: .count)
        checkpoint = try c.decode(String.self, forKey: .checkpoint)
        step = try c.decodeIfPresent(Int.self, forKey: .step)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 0
        fittedAt = try c.decodeIfPresent(Double.self, forKey: .fittedAt).map(Date.init(timeIntervalSince1970:))
        conformal = try c.decodeIfPresent([ConformalPredictor].self, forKey: .conformal) ?? []
    }

    /// Encodes the JSON form: snake_case keys, `fitted_at` as seconds since 1970, nil fields left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(calibrator, forKey: .calibrator)
        try c.encode(fittedOn, forKey: .fittedOn)
        try c.encode(count, forKey: .count)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encodeIfPresent(step, forKey: .step)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(fittedAt?.timeIntervalSince1970, forKey: .fittedAt)
        if !conformal.isEmpty { try c.encode(conformal, forKey: .conformal) }
    }

    /// The conformal predictor of `method`, when one was fitted.
    public func conformal(_ method: ConformalPredictor.Method) -> ConformalPredictor? {
        conformal.first { $0.method == method }
    }

    /// A short description for outputs: "temperature (T = 1.532)", "isotonic", "histogram".
    public var summary: String {
        switch calibrator {
        case .temperature(let t): return "temperature (T = \(String(format: "%.4g", t.temperature)))"
        default: return calibrator.method.rawValue
        }
    }

    /// Which calibrator, where, on what: "best.calibrator.v2.json: temperature (T = 1.532),
    /// fitted on validation (5000 images) at step 860" — what a measurement records.
    public var description: String {
        "\(Self.fileName(forCheckpoint: checkpoint, version: version)): \(summary), fitted on \(fittedOn) (\(count) images)"
            + (step.map { " at step \($0)" } ?? "")
            + (conformal.first.map {
                ", conformal sets at \(String(format: "%g", $0.coverage * 100))% coverage (\($0.count) images)"
            } ?? "")
    }

    /// Where the versions live: `STEM.calibrator.vN.json`, and `STEM.calibrator.json` as version 0.
    static let sidecar = CheckpointSidecar(kind: "calibrator", fileExtension: "json", unversionedIsZero: true)

    /// The file of `version` of the calibrators of the checkpoint named `checkpoint`.
    static func fileName(forCheckpoint checkpoint: String, version: Int) -> String {
        sidecar.fileName(forCheckpoint: checkpoint, version: version)
    }

    /// Where version `version` of the calibrators of `checkpoint` lives.
    public static func url(forCheckpoint checkpoint: URL, version: Int) -> URL {
        sidecar.url(forCheckpoint: checkpoint, version: version)
    }

    /// The versions stored for `checkpoint`, oldest first.
    public static func versions(forCheckpoint checkpoint: URL) -> [Int] { sidecar.versions(forCheckpoint: checkpoint) }

    /// The version a file name gives: `STEM.calibrator.json` is 0, `STEM.calibrator.vN.json`
    /// is N; any other name is none.
    static func version(ofFileNamed name: String, stem: String) -> Int? {
        sidecar.version(ofFileNamed: name, stem: stem)
    }

    /// Reads a calibrator file.
    ///
    /// - Throws: `EvaluationError` naming the file when it is missing, too large or not a
    ///   Joule calibrator.
    public static func read(_ url: URL) throws -> StoredCalibrator {
        // A calibrator is a few kilobytes; refuse to read anything absurd.
        let data = try CheckpointSidecar.contents(of: url, maximumBytes: 16 << 20, what: "calibrator")
        do {
            var stored = try JSONDecoder().decode(StoredCalibrator.self, from: data)
            // A file from before versions existed carries none; its name may (renamed by hand).
            let stem = (stored.checkpoint as NSString).deletingPathExtension
            if stored.version == 0, let named = version(ofFileNamed: url.lastPathComponent, stem: stem) {
                stored.version = named
            }
            return stored
        } catch {
            throw EvaluationError.invalid("\(url.path): not a Joule calibrator (\(error))")
        }
    }

    /// Which calibrator `evaluate` and `score` apply.
    public enum Choice: Sendable, Equatable {
        /// The newest version, when it was fitted on the weights the checkpoint holds now.
        case latest
        /// None: the model's own probabilities.
        case none
        /// This version of the checkpoint's calibrators.
        case version(Int)
        /// A calibrator file.
        case file(String)

        /// Parses `latest`, `none`, `vN` (or `N`), or a path to a `.json` file.
        public init?(_ text: String) {
            switch text {
            case "latest": self = .latest
            case "none": self = .none
            default:
                let digits = text.hasPrefix("v") ? String(text.dropFirst()) : text
                if let version = Int(digits), version >= 0 {
                    self = .version(version)
                } else if text.hasSuffix(".json") {
                    self = .file(text)
                } else {
                    return nil
                }
            }
        }
    }

    /// The calibrator `choice` names for `checkpoint` (whose weights are those of training
    /// step `step`), or nil for none. The newest version is skipped, with a line in `log`,
    /// when it was fitted on other weights (the run went on since); `refit` is the command
    /// that fits a new one.
    ///
    /// - Throws: `EvaluationError` when a named version or file does not exist or cannot be read.
    public static func load(
        _ choice: Choice, forCheckpoint checkpoint: URL, step: Int, refit: String,
        log: (String) -> Void
    ) throws -> StoredCalibrator? {
        switch choice {
        case .none:
            return nil
        case .file(let path):
            return try read(URL(fileURLWithPath: path))
        case .version(let version):
            guard versions(forCheckpoint: checkpoint).contains(version) else {
                let known = versions(forCheckpoint: checkpoint)
                throw EvaluationError.invalid(
                    "\(url(forCheckpoint: checkpoint, version: version).path): no such calibrator ("
                        + (known.isEmpty
                            ? "the checkpoint has none"
                            : "versions: "
                                + known.map { "v\($0)" }
                                .joined(separator: ", ")) + ")")
            }
            let stored = try read(url(forCheckpoint: checkpoint, version: version))
            if let fitted = stored.step, fitted != step {
                log("note: v\(version) was fitted at step \(fitted); the checkpoint is now at step \(step)")
            }
            return stored
        case .latest:
            guard let newest = versions(forCheckpoint: checkpoint).last else { return nil }
            let stored = try read(url(forCheckpoint: checkpoint, version: newest))
            if let fitted = stored.step, fitted != step {
                log(
                    "not applying \(url(forCheckpoint: checkpoint, version: newest).path): fitted at step \(fitted), the checkpoint "
                        + "is now at step \(step) (fit a new one: \(refit))")
                return nil
            }
            return stored
        }
    }

    /// Writes the calibrator beside `checkpoint` as its next version, never replacing a
    /// file and never showing a partial one: written whole to a temporary file, then linked
    /// under the version's name, which fails if another `calibrate` took it first (then the
    /// next version is tried). Sets `version` to the one written.
    public mutating func write(forCheckpoint checkpoint: URL) throws -> URL {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var copy = self
        let (version, url) = try Self.sidecar.writeNextVersion(forCheckpoint: checkpoint) { version in
            copy.version = version
            return try encoder.encode(copy)
        }
        self.version = version
        return url
    }
}
