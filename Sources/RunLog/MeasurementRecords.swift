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
    /// Whether `joule evaluate` or `joule calibrate` made it.
    public var kind: MeasurementKind
    /// The checkpoint file measured, and the training step it held.
    public var checkpoint: String?
    /// The training step the checkpoint's weights are from; nil when unknown.
    public var checkpointStep: Int?
    /// The calibrator applied (evaluation) or fitted (calibration), described with its file.
    public var calibrator: String?
    /// The in-distribution set and how many of its images were measured.
    public var inDataset: String?
    /// How many of the in-distribution set's images were measured.
    public var inCount: Int?
    /// The request's settings as JSON text (OOD sets, scores, bins, limit, seed).
    public var settings: String?

    /// A measurement of `kind`; details left out are recorded as unknown (NULL).
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
    /// The store-wide id; a higher id is a newer measurement.
    public var id: Int
    /// The id of the run measured.
    public var runID: String
    /// Whether `joule evaluate` or `joule calibrate` made it.
    public var kind: MeasurementKind
    /// When it was recorded (for a migrated one, when its oldest row was written).
    public var createdAt: Date
    /// The checkpoint file measured, as its path was given; nil when not recorded.
    public var checkpoint: String?
    /// The training step the checkpoint's weights are from; nil when unknown.
    public var checkpointStep: Int?
    /// The calibrator applied (evaluation) or fitted (calibration), described with its file; nil when none was
    /// applied. A migrated calibration names every calibrator its rows came from, separated by commas.
    public var calibrator: String?
    /// The in-distribution set measured (`test`, `validation`, `toy:NAME`, …); nil when not recorded.
    public var inDataset: String?
    /// How many of that set's images (a toy density's samples) were measured; nil when not recorded.
    public var inCount: Int?
    /// The request's settings as JSON text (see `NewMeasurement.settings`); for a migrated one, a note saying so.
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
