import Foundation

/// What a finished (or stopped) run reports.
public struct TrainingSummary: Codable, Sendable {
    /// The identifier of the run.
    public var runID: String
    /// The optimiser steps taken in all, including any before a resume.
    public var steps: Int
    /// The epochs taken in all, as steps divided by steps per epoch (fractional for a run stopped mid-epoch).
    public var epochs: Double
    /// The wall-clock seconds spent training, summed over every session of the run.
    public var seconds: Double
    /// `seconds` divided by `epochs`; nil when no step was taken.
    public var secondsPerEpoch: Double?
    /// The highest validation accuracy of any epoch; nil for energies, or without a validation set.
    public var bestValidationAccuracy: Double?
    /// The validation accuracy after the last epoch; nil for energies, or without a validation set.
    public var finalValidationAccuracy: Double?
    /// Test accuracy of the best-on-validation model (the final model without validation).
    public var testAccuracy: Double?
    /// Test accuracy of the final model; nil without a test set, for energies, or for a run that stopped early.
    public var finalTestAccuracy: Double?
    /// The path of the run's `last.safetensors`; nil for a dry run, which writes no checkpoints.
    public var lastCheckpoint: String?
    /// The path of the run's `best.safetensors`, once the run is complete and the file exists; nil otherwise.
    public var bestCheckpoint: String?
    /// Seconds spent writing to the run store (its share of `seconds` is the logging cost).
    public var runStoreSeconds: Double?
    /// Times the divergence guard rolled the run back.
    public var recoveries = 0
    /// Energies: the objective (score matching) or the generator's MMD² (a learned sampler's
    /// unconditional energy) on the validation set, best = lowest; nil for classifiers.
    public var bestValidationLoss: Double?
    /// The validation value after the last epoch (the objective, or MMD² for a learned sampler's energy; lower
    /// is better); nil for classifiers.
    public var finalValidationLoss: Double?
    /// The same value on the test set, for the best-on-validation checkpoint; nil for classifiers, without a
    /// test set or best checkpoint, or for a run that stopped early.
    public var testLoss: Double?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case steps, epochs, seconds
        case secondsPerEpoch = "seconds_per_epoch"
        case bestValidationAccuracy = "best_validation_accuracy"
        case finalValidationAccuracy = "final_validation_accuracy"
        case testAccuracy = "test_accuracy"
        case finalTestAccuracy = "final_test_accuracy"
        case lastCheckpoint = "last_checkpoint"
        case bestCheckpoint = "best_checkpoint"
        case runStoreSeconds = "run_store_seconds"
        case recoveries = "divergence_recoveries"
        case bestValidationLoss = "best_validation_loss"
        case finalValidationLoss = "final_validation_loss"
        case testLoss = "test_loss"
    }

    /// Every key is always present (`null` when not measured), so scripts can rely on them.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(steps, forKey: .steps)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(secondsPerEpoch, forKey: .secondsPerEpoch)
        try c.encode(bestValidationAccuracy, forKey: .bestValidationAccuracy)
        try c.encode(finalValidationAccuracy, forKey: .finalValidationAccuracy)
        try c.encode(testAccuracy, forKey: .testAccuracy)
        try c.encode(finalTestAccuracy, forKey: .finalTestAccuracy)
        try c.encode(lastCheckpoint, forKey: .lastCheckpoint)
        try c.encode(bestCheckpoint, forKey: .bestCheckpoint)
        try c.encode(runStoreSeconds, forKey: .runStoreSeconds)
        try c.encode(recoveries, forKey: .recoveries)
        try c.encode(bestValidationLoss, forKey: .bestValidationLoss)
        try c.encode(finalValidationLoss, forKey: .finalValidationLoss)
        try c.encode(testLoss, forKey: .testLoss)
    }
}
