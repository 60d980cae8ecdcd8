import CDNNL
#if canImport(Glibc)
import Glibc
#endif

/// oneDNN's thread pool (OpenMP), set up once before the first primitive runs: sized to
/// `Kernels.threadCount` when `JOULE_THREADS` asks for a count other than the cores.
enum Threading {
    private static let configured: Bool = {
        if getenv("JOULE_THREADS") != nil, let setThreads = openMPSetNumThreads() {
            setThreads(Int32(Kernels.threadCount))
        }
        return true
    }()

    static func prepareForDNNL() { _ = configured }

    private typealias SetNumThreads = @convention(c) (Int32) -> Void

    /// `omp_set_num_threads` from the OpenMP runtime oneDNN links, looked up at run time.
    private static func openMPSetNumThreads() -> SetNumThreads? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, "omp_set_num_threads") else { return nil }
        return unsafeBitCast(pointer, to: SetNumThreads.self)
    }
}

extension Kernels {
    /// Sets up the thread pools now rather than at first use.
    public static func prepare() { Threading.prepareForDNNL() }

    /// oneDNN's version, e.g. `2.6.3`.
    public static var oneDNNVersion: String {
        guard let v = dnnl_version()?.pointee else { return "unknown" }
        return "\(v.major).\(v.minor).\(v.patch)"
    }

    /// The oneDNN implementations planned so far, one line each (for benchmark reports).
    public static func implementationReport() -> [String] { ConvolutionKernel.implementationReport() }
}
