import ArgumentParser
import Evaluation
import Uncertainty

extension EvaluateCommand {
    func validate() throws {
        guard scores?.isEmpty != true else { throw ValidationError("--scores: give at least one score") }
        guard (1...1_000).contains(bins) else { throw ValidationError("--bins must be between 1 and 1000") }
        guard (1...1_000_000).contains(syntheticCount) else {
            throw ValidationError("--synthetic-count must be between 1 and 1000000")
        }
        guard (1...65_536).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 65536")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// What to measure. Named sets and scores must all work; from the defaults, what cannot is skipped with a note.
    var settings: EvaluationSettings {
        var settings = EvaluationSettings()
        settings.oodSets = ood ?? OODSet.defaults
        settings.oodSetsExplicit = ood != nil
        settings.scores = scores ?? OODScore.defaults
        settings.scoresExplicit = scores != nil
        settings.binning = equalMass ? .equalMass(bins: bins) : .equalWidth(bins: bins)
        settings.syntheticCount = syntheticCount
        settings.limit = limit
        settings.onValidation = onValidation
        settings.batchSize = batchSize
        settings.seed = seed
        settings.typicalityBatchSizes = typicality
        settings.refitScores = fitting.refitScores
        return settings
    }
}
