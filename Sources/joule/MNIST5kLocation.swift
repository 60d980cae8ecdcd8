import Foundation

/// Where MNIST-5k's file is: `--mnist5k`, else `$JOULE_MNIST5K`, else
/// `datasets/mnist_5k.csv.gz` in the current folder (a checkout after `make deps`), else the
/// copy `make install` puts beside the executable (`PREFIX/share/joule/mnist_5k.csv.gz`).
enum MNIST5kLocation {
    static func resolve(_ option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let value = ProcessInfo.processInfo.environment["JOULE_MNIST5K"], !value.isEmpty {
            return URL(fileURLWithPath: value)
        }
        let local = URL(fileURLWithPath: "datasets/mnist_5k.csv.gz")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        let executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments.first ?? "joule")
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/joule/mnist_5k.csv.gz")
        return FileManager.default.fileExists(atPath: installed.path) ? installed : local
    }
}
