import Settings

/// Where a run's files go and how often it checkpoints.
@SettingsGroup(title: "Checkpoints")
public struct OutputSettings: Sendable, Equatable {
    @Setting("Where run folders go.", key: "checkpoint-dir", aliases: ["checkpoint-directory"])
    public var checkpointDirectory: String = "checkpoints"
    @Setting("Also checkpoint every N steps (default: at each epoch's end).")
    public var checkpointEvery: Int?

    public init() {}
}
