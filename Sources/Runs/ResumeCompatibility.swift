/// Settings a resumed run cannot change: the checkpoint's state (weights, optimiser
/// moments, the sampler's place in the data, the replay buffer) was made under them, so a
/// new value would break the run silently or make its record lie.
public enum ResumeCompatibility {
    /// Each fixed setting by its command-line name, read from a configuration.
    static let fixed: [(name: String, value: @Sendable (TrainingConfiguration) -> String)] = [
        ("objective", { $0.objective }),
        ("dataset", { $0.dataset }),
        ("channels", { $0.channels.map(String.init) ?? "as the files are" }),
        ("model", { $0.model }),
        ("norm", { "\($0.normalization)" }),
        ("batch-size", { String($0.batchSize) }),
        ("validation-size", { String($0.validationSize) }),
        ("optimizer", { $0.optimizer }),
        ("seed", { String($0.seed) }),
        ("buffer-size", { $0.jem.map { String($0.bufferSize) } ?? "-" }),
        ("class-conditional", { $0.jem.map { String($0.classConditional) } ?? "-" }),
        ("buffer-start", { $0.jem?.bufferStart ?? "-" }),
        ("generator", { $0.learnedSamplerSettings.generator }),
        ("latent-size", { String($0.learnedSamplerSettings.latentSize) }),
        ("statistics-width", { String($0.learnedSamplerSettings.statisticsWidth) }),
        ("labels-per-class", { $0.jem?.labelsPerClass.map(String.init) ?? "all" }),
    ]

    /// The settings `resumed` changes from `saved`, as "--name (run: old, given: new)".
    public static func conflicts(saved: TrainingConfiguration, resumed: TrainingConfiguration) -> [String] {
        fixed.compactMap { name, value in
            value(saved) == value(resumed) ? nil : "--\(name) (run: \(value(saved)), given: \(value(resumed)))"
        }
    }

    /// The settings `new` changes from `old`, as "lr 0.001 → 0.0005" (a setting left out is
    /// "unset"), in name order. Not counted: where the run's folder is written from
    /// (`checkpoint-dir`, which a resume from another folder spells out), and the channels a
    /// run recorded before the setting existed read its images with (filled in on resume).
    public static func changes(from old: TrainingConfiguration, to new: TrainingConfiguration) -> [String] {
        var before = old.flattened, after = new.flattened
        before["checkpoint-dir"] = nil
        after["checkpoint-dir"] = nil
        if before["channels"] == nil { after["channels"] = nil }
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key) \(before[key] ?? "unset") → \(after[key] ?? "unset")"
        }
    }
}
