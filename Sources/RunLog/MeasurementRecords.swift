import Foundation

/// What a measurement was: `joule evaluate` or `joule calibrate`.
public enum MeasurementKind: String, Sendable, Codable, CaseIterable {
    case evaluation
    case calibration
}

/// One `joule evaluate` or `joule calibrate` of a run, as `recordMeasurement` stores it: the
/// values and per-sample scores it produced belong to it, and no later measurement
/// replaces them.
public struct NewMeasurement: Sendable {
    public var kind: MeasurementKind
    /// The checkpoint file measured, and the training step it held.
    public var checkpoint: String?
    public var checkpointStep: Int?
    /// The calibrator applied (evaluation) or fitted (calibration), described with its file.
    public var calibrator: String?
    /// The in-distribution set and how many of its images were measured.
    public var inDataset: String?
    public var inCount: Int?
    /// The request's settings as JSON text (OOD sets, scores, bins, limit, seed).
    public var settings: String?

    public init(
        kind: MeasurementKind, checkpoint: String? = nil, checkpointStep: Int? = nil, calibrator: String? = nil,
        inDataset: String? = nil, inCount: Int? = nil, settings: String? = nil
    ) {
        self.kind = kind
        self.checkpoint = checkpoint
        self.checkpointStep = checkpointStep
        self.calibrator = calibrator
        self.inDataset = inDataset
        self.inCount = inCount
        self.settings = settings
    }
}

/// A stored measurement. Ids grow with time across the whole store, so the highest id is
/// the newest and an id alone names a measurement (and its run).
public struct MeasurementRecord: Sendable, Equatable {
    public var id: Int
    public var runID: String
    public var kind: MeasurementKind
    public var createdAt: Date
    public var checkpoint: String?
    public var checkpointStep: Int?
    public var calibrator: String?
    public var inDataset: String?
    public var inCount: Int?
    public var settings: String?
    /// Whether it was rebuilt from rows written before measurements were kept apart (then
    /// it gathers every row that store held for the run, of whichever evaluation).
    public var migrated: Bool

    /// "best.safetensors @ step 860" (the checkpoint's file name and step, as far as known).
    public var checkpointDescription: String {
        let file = checkpoint.map { ($0 as NSString).lastPathComponent }
        switch (file, checkpointStep) {
        case (let file?, let step?): return "\(file) @ step \(step)"
        case (let file?, nil): return file
        case (nil, let step?): return "step \(step)"
        case (nil, nil): return "checkpoint not recorded"
        }
    }
}

/// Which measurements a reader sees.
public enum MeasurementSelection: Sendable, Equatable {
    /// For each (dataset, score), the values of the newest measurement that has it.
    case latest
    /// One measurement's values only.
    case only(Int)
}
