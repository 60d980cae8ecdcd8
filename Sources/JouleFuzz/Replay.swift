#if !JOULE_FUZZ
    import Foundation

    /// `joule-fuzz TARGET PATH...`: runs every file under the paths once through one fuzz
    /// target, without libFuzzer — how `make test` replays the seed corpus and every input the
    /// fuzzers ever found (`fuzz/regressions/`) on an ordinary build.
    @main
    struct Replay {
        static func main() throws {
            let arguments = Array(CommandLine.arguments.dropFirst())
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            guard let first = arguments.first, let target = FuzzTarget(rawValue: first), arguments.count >= 2 else {
                FileHandle.standardError.write(Data("usage: joule-fuzz \(names) FILE-OR-DIRECTORY...\n".utf8))
                exit(2)
            }
            let scratch = try FuzzScratch()
            defer { scratch.remove() }
            var count = 0
            var accepted = 0
            for path in arguments.dropFirst() {
                for file in try files(under: path) {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                    if bytes.withUnsafeBytes({ target.run($0, in: scratch) }) { accepted += 1 }
                    count += 1
                }
            }
            print(
                "\(target.rawValue): \(count) inputs replayed (\(accepted) accepted, \(count - accepted) refused), none crashed"
            )
        }

        /// The regular files at or under `path`, sorted.
        private static func files(under path: String) throws -> [String] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            guard isDirectory.boolValue else { return [path] }
            let names = try FileManager.default.subpathsOfDirectory(atPath: path).sorted()
            return names.map { (path as NSString).appendingPathComponent($0) }.filter {
                var nested: ObjCBool = false
                return FileManager.default.fileExists(atPath: $0, isDirectory: &nested) && !nested.boolValue
            }
        }
    }
#endif
