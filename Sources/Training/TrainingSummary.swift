import Foundation

/// What a finished (or stopped) run reports.
public struct TrainingSummary: Codable, Sendable {
    public var runID: String
    public var steps: Int
    public var epochs: Double
    public var seconds: Double
    public var secondsPerEpoch: Double?
    public var bestValidationAccuracy: Double?
    public var finalValidationAccuracy: Double?
    /// Test accuracy of the best-on-validation model (the final model without validation).
    public var testAccuracy: Double?
    public var finalTestAccuracy: Double?
    public var lastCheckpoint: String?
    public var bestCheckpoint: String?
    /// Seconds spent writing to the run store (its share of `seconds` is the logging cost).
    public var runStoreSeconds: Double?
    /// Times the divergence guard rolled the run back.
    public var recoveries = 0
    /// Score matching: the objective on the validation set (best = lowest) and on the test
    /// set (best-on-validation model); nil for classifiers.
    public var bestValidationLoss: Double?
    public var finalValidationLoss: Double?
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
