import COpenBLAS
import Foundation
import Tensors

/// OpenBLAS set up for the benchmarks' raw `cblas_sgemm` reference (the engine's matmul
/// runs on oneDNN): threads sized to the cores, and the right kernel family.
///
/// OpenBLAS 0.3.21 (Debian 12) does not recognise recent Xeons and falls back to its
///   SSE3 "Prescott" kernels, 4–5× slower than the AVX2/AVX-512 ones (25 against
///   91–133 GFLOP/s for a 1024² SGEMM on 2 cores). When the user has not chosen a core
///   (`OPENBLAS_CORETYPE` unset) and the fallback was taken on a CPU that has the
///   instructions, this re-runs OpenBLAS's own core selection with the matching
///   core name. Checked against a Double reference in the tests.
public enum OpenBLASSetup {
    private static let configured: Bool = {
        selectOpenBLASCore()
        openblas_set_num_threads(Int32(Kernels.threadCount))
        return true
    }()

    /// Configures OpenBLAS once.
    public static func prepare() { _ = configured }

    /// The OpenBLAS kernel family in use (e.g. `SkylakeX`, `Haswell`).
    public static var core: String {
        _ = configured
        return String(cString: openblas_get_corename())
    }

    private static func selectOpenBLASCore() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
            String(cString: openblas_get_corename()).lowercased() == "prescott",
            let core = preferredCore(flags: cpuFlags()),
            let quit = symbol("gotoblas_dynamic_quit"), let initialize = symbol("gotoblas_dynamic_init")
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        quit()
        initialize()
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// The newest OpenBLAS core whose instructions the CPU has.
    public static func preferredCore(flags: Set<String>) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    private static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    private typealias VoidFunction = @convention(c) () -> Void

    /// An exported OpenBLAS function looked up at run time: present in the DYNAMIC_ARCH
    /// builds that Debian and Ubuntu ship, absent (and then left alone) elsewhere.
    private static func symbol(_ name: String) -> VoidFunction? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: VoidFunction.self)
    }
}
