import Settings

/// Where the data is, how its images are read, the validation hold-out and augmentation.
@SettingsGroup(title: "Data and augmentation")
public struct DataSettings: Sendable, Equatable {
    /// The folder of Fashion-MNIST's files; nil looks in $JOULE_FASHION_MNIST_DIR, then the system's folder.
    @Setting("Directory holding the dataset's files, when not the default (or $JOULE_FASHION_MNIST_DIR).")
    public var datasetPath: String?
    /// PNG folders: read images as 1 (grey) or 3 (RGB) channels; nil picks by the images (a mixed folder needs it).
    @Setting(
        """
        Read every PNG image as 1 (grey) or 3 (RGB) channels (default: grey when every image is grey, RGB when every one \
        is colour; a folder mixing them needs this).
        """, resume: .fixed)
    public var channels: Int?
    /// Training images held out for validation (default: 5000), at most a fifth of the set; 0 for none.
    @Setting("Training images held out for validation, at most a fifth of the set.", resume: .fixed)
    public var validationSize: Int = 5000
    /// Standard deviation σ of the Gaussian noise added to training inputs (default: 0, none).
    @Setting("Gaussian noise σ added to training inputs.")
    public var noise: Float = 0
    /// Replace each training input value, with this probability, by a uniform random byte value (Ren et al. 2019's
    /// perturbation, which trains the likelihood ratio's background model); default 0, none.
    @Setting("Replace each training input value with a random one with this probability (a background model).")
    public var mutationRate: Float = 0
    /// Classifiers: pad by this many pixels, then crop back at a random offset (default: 0, no cropping).
    @Setting("Pad by N pixels, then crop back at random.", for: .classifiers)
    public var cropPadding: Int = 0
    /// Classifiers: flip training images horizontally at random (default: off).
    @Setting("Random horizontal flips.", for: .classifiers)
    public var flip: Bool = false

    /// The defaults, as each setting declares them.
    public init() {}
}
