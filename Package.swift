// swift-tools-version: 6.0
import CompilerPluginSupport
import PackageDescription

/// Joule: energy-based training and uncertainty for classifiers, on a Swift tensor engine.
///
/// Layers point down only (see docs/ARCHITECTURE.md): the executable `joule` calls
/// `JouleBench`, which calls the engine `Tensors`, which calls only oneDNN.
let package = Package(
    name: "Joule",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "joule", targets: ["joule"]),
        .executable(name: "joule-fuzz", targets: ["JouleFuzz"]),
        .library(name: "Tensors", targets: ["Tensors"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
    ],
    targets: [
        // C libraries from Debian packages (see scripts/install-deps.sh).
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Hand-written C loops (AVX-512/AVX2/baseline clones picked at load time). Built
        // optimised even in debug, without FMA contraction so every CPU gets the same bits.
        .target(
            name: "CJouleKernels",
            cSettings: [
                .unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=off", "-fveclib=libmvec"])
            ], linkerSettings: [.linkedLibrary("mvec"), .linkedLibrary("m")]),

        // The engine: tensors, primitives with their derivatives, autodiff, kernels.
        .target(name: "Tensors", dependencies: ["CDNNL", "CJouleKernels"]),

        // Layers and models (Module/Layer), PyTorch state_dict names and initialisation.
        .target(name: "Layers", dependencies: ["Tensors"]),

        // Optimisers (SGD, Adam, AdamW), learning-rate schedules, gradient clipping.
        .target(name: "Optimizers", dependencies: ["Tensors", "CJouleKernels"]),

        // Datasets: IDX, CSV, PNG folders, 2-D toy densities, splits, batching, transforms.
        .target(name: "Datasets", dependencies: ["Tensors", "CZlib", "CPNG"]),

        // safetensors files: validated reading, atomic writing.
        .target(name: "Checkpoints", dependencies: ["Tensors"]),

        // The code version, fixed at build time by reading the checkout's git commit.
        .plugin(name: "CodeVersionPlugin", capability: .buildTool()),
        .target(name: "JouleVersion", plugins: ["CodeVersionPlugin"]),

        // Typed settings, each declared once: `@SettingsGroup` writes a group's command-line
        // options, YAML reading, Codable keys, run-store params and resume check.
        .macro(
            name: "SettingsMacros",
            dependencies: [
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ]),
        .target(
            name: "Settings",
            dependencies: [
                "SettingsMacros", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),

        // What a run is, below both training and evaluation: its configuration (YAML files),
        // checkpoint format, data, and the models and samplers built from them.
        .target(
            name: "Runs",
            dependencies: [
                "Settings", "Tensors", "Layers", "Optimizers", "Datasets", "Checkpoints", "Sampling", "Objectives",
            ]),

        // The trainer: the training loop, objectives' steps, divergence guard, progress, recording protocol.
        .target(
            name: "Training",
            dependencies: [
                "Runs", "Settings", "Tensors", "Layers", "Optimizers", "Datasets", "Checkpoints", "Sampling",
                "Objectives", "Metrics",
            ]),

        // The run store's side of recording a training run: `Training`'s RunRecorder over RunLog.
        .target(name: "RunRecording", dependencies: ["Runs", "Settings", "Training", "RunLog", "JouleVersion"]),

        // Samplers over any energy: SGLD/Langevin, MALA, Metropolis, the replay buffer.
        .target(name: "Sampling", dependencies: ["Tensors"]),

        // Energy-based objectives: EnergyModel, JEM's energies and loss, persistent chains, score
        // matching, and the learned samplers' entropy estimators.
        .target(name: "Objectives", dependencies: ["Tensors", "Layers", "Sampling", "Optimizers"]),

        // The run store: every run, its params, metrics, artifacts and evaluations in SQLite.
        .target(name: "RunLog", dependencies: ["CSQLite", .product(name: "Crypto", package: "swift-crypto")]),

        // Self-contained HTML reports of training runs (plain values in; RunLog maps its runs).
        .target(name: "Reports", dependencies: ["RunLog", "Metrics"]),

        // Metrics on plain arrays: classification, calibration, OOD detection, calibrators.
        .target(name: "Metrics"),

        // Scores for OOD detection (log p(x), max softmax, energy, gradient norm, SGLD
        // refinement) over any classifier or energy, and the OOD sets.
        .target(
            name: "Uncertainty",
            dependencies: ["Tensors", "Layers", "Sampling", "Objectives", "Datasets", "Metrics", "COpenBLAS"]),

        // `joule evaluate`: a run's calibration and OOD report, and its rows for the store.
        .target(
            name: "Evaluation",
            dependencies: [
                "Runs", "Objectives", "Uncertainty", "Metrics", "RunLog", "Datasets", "Layers", "Sampling",
                "Tensors", "Checkpoints", .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // Benchmarks behind `joule bench`.
        .target(
            name: "JouleBench",
            dependencies: [
                "Tensors", "Layers", "Optimizers", "Sampling", "Objectives", "Datasets", "Uncertainty", "COpenBLAS",
                "CJouleKernels",
            ]),

        .executableTarget(
            name: "joule",
            dependencies: [
                "JouleBench", "Runs", "Settings", "Training", "RunRecording", "RunLog", "Reports", "Evaluation",
                "Uncertainty", "Metrics", "JouleVersion",
                "Objectives",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Fuzz targets for every parser of outside input (scripts/fuzz.sh builds them with
        // libFuzzer; an ordinary build replays a corpus through them).
        .executableTarget(name: "JouleFuzz", dependencies: ["Datasets", "Checkpoints", "RunLog", "Runs"]),

        // What the test targets share: temporary folders, the package's root, a seeded generator.
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "JouleBenchTests", dependencies: ["JouleBench", "Tensors"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Tensors"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "Tensors"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Tensors", "CZlib", "CPNG", "TestSupport"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Runs", "Settings", "Training", "RunRecording", "Layers", "Datasets", "Tensors", "Checkpoints",
                "RunLog",
                "TestSupport",
            ],
            exclude: ["Fixtures"]),
        // The command line's parsing, in process: every command's help, choices, precedence.
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["joule", "Runs", "RunRecording", "Settings", "RunLog", "TestSupport"]),
        .testTarget(name: "RunLogTests", dependencies: ["RunLog"], exclude: ["Fixtures"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "Tensors"]),
        .testTarget(
            name: "ObjectivesTests",
            dependencies: ["Objectives", "Sampling", "Layers", "Optimizers", "Datasets", "Metrics", "Tensors"]),
        .testTarget(
            name: "UncertaintyTests",
            dependencies: [
                "Uncertainty", "Evaluation", "Runs", "Datasets", "Layers", "Sampling", "Tensors", "Checkpoints",
                "TestSupport",
            ]),
        .testTarget(name: "CheckpointsTests", dependencies: ["Checkpoints", "Tensors", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "RunLog", "TestSupport"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "TestSupport"]),
        .testTarget(
            name: "SystemLibrariesTests",
            dependencies: ["COpenBLAS", "CDNNL", "CPNG", "CZlib", "CSQLite"]),
    ],
    swiftLanguageModes: [.v6]
)
