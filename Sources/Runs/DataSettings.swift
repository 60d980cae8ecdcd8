import Settings

/// Where the data is, how its images are read, the validation hold-out and augmentation.
@SettingsGroup(title: "Data and augmentation")
public struct DataSettings: Sendable, Equatable {
    @Setting("Directory holding the dataset's files, when not the default (or $JOULE_FASHION_MNIST_DIR).")
    public var datasetPath: String?
    @Setting(
        """
        Read every PNG image as 1 (grey) or 3 (RGB) channels (default: grey when every image is grey, RGB when every one \
        is colour; a folder mixing them needs this).
        """, resume: .fixed)
    public var channels: Int?
    @Setting("Training images held out for validation, at most a fifth of the set.", resume: .fixed)
    public var validationSize: Int = 5000
    @Setting("Gaussian noise σ added to training inputs.")
    public var noise: Float = 0
    @Setting("Pad by N pixels, then crop back at random.", for: .classifiers)
    public var cropPadding: Int = 0
    @Setting("Random horizontal flips.", for: .classifiers)
    public var flip: Bool = false

    public init() {}
}
