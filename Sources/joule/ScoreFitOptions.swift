import ArgumentParser
import Foundation
import RunLog

/// `--background` and `--refit-scores`, shared by evaluate and score: what the fitted scores
/// (mahalanobis, knn, likelihood-ratio, the thresholds) are fitted with, and when again.
struct ScoreFitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The likelihood ratio's background model: a run (its best checkpoint) or a checkpoint file, trained on "
                + "perturbed inputs (joule train --mutation-rate). Default: the stored fit's.",
            valueName: "run-or-file"))
    var background: String?
    @Flag(
        help: "Fit the scores' statistics and thresholds again, as a new version, even when a stored fit covers them.")
    var refitScores = false

    /// The background checkpoint file, found as `source` finds its own (same store, same folder rule).
    func backgroundPath<P: PreferredCheckpoint>(like source: CheckpointOptions<P>) throws -> String? {
        try background.map {
            try CheckpointLocation.resolve(
                $0, checkpointDirectory: source.checkpointDir, which: .best, store: source.store.location
            ).path
        }
    }
}
