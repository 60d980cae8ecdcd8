#if JOULE_FUZZ
    import Foundation

    /// libFuzzer's entry points, compiled in only for `scripts/fuzz.sh`'s sanitizer build
    /// (`-DJOULE_FUZZ`). The target comes from the environment:
    /// `JOULE_FUZZ_TARGET=idx|csv|png|safetensors|yaml|filter`.
    nonisolated(unsafe) private var target: FuzzTarget = .idx
    nonisolated(unsafe) private var scratch: FuzzScratch!

    /// libFuzzer's set-up hook, called once before any input: reads the target from `JOULE_FUZZ_TARGET` and makes
    /// the scratch folder (removed on a clean exit), exiting with status 2 when either fails; returns 0.
    @_cdecl("LLVMFuzzerInitialize")
    public func fuzzerInitialize(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
    ) -> CInt {
        let name = ProcessInfo.processInfo.environment["JOULE_FUZZ_TARGET"] ?? ""
        guard let chosen = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("JOULE_FUZZ_TARGET must be one of \(names) (got '\(name)')\n".utf8))
            exit(2)
        }
        target = chosen
        do { scratch = try FuzzScratch() } catch {
            FileHandle.standardError.write(Data("cannot set up the fuzz scratch directory: \(error)\n".utf8))
            exit(2)
        }
        atexit { scratch?.remove() }
        return 0
    }

    /// The executable's entry point. SwiftPM links an executable target's `main` to
    /// `<module>_main`, so libFuzzer's own `main` is not used: this hands the command line to
    /// libFuzzer's driver, as that `main` would.
    @_cdecl("JouleFuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&count, &arguments, fuzzerTestOneInput)
    }

    // libFuzzer's C entry point keeps its C name.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// libFuzzer's hook for one input: runs the chosen target on the `size` bytes at `data` in the scratch folder.
    /// Always returns 0: refusing bad input is the right answer; a crash, a hang or an unbounded allocation is a
    /// finding.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        target.run(UnsafeRawBufferPointer(start: data, count: size), in: scratch)
        return 0
    }
#endif
