import Settings

/// Where a run's files go and how often it checkpoints.
@SettingsGroup(title: "Checkpoints")
public struct OutputSettings: Sendable, Equatable {
    /// The folder holding one folder per run (`checkpoint-dir`, default: `checkpoints`).
    @Setting("Where run folders go.", key: "checkpoint-dir", aliases: ["checkpoint-directory"])
    public var checkpointDirectory: String = "checkpoints"
    /// Steps between extra checkpoints; nil checkpoints only at each epoch's end (and the run's).
    @Setting("Also checkpoint every N steps (default: at each epoch's end).")
    public var checkpointEvery: Int?

    /// The defaults, as each setting declares them.
    public init() {}
}
