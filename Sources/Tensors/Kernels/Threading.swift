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

    /// Below this much work (floating-point operations) a oneDNN call runs on one thread.
    /// Waking the OpenMP team costs microseconds, more than it saves on a small problem; and
    /// on a busy machine a team member that is descheduled stalls the whole call for a time
    /// slice (a 2-D toy energy's DSM step beside a JEM run: 28 ms on two threads, 0.9 ms
    /// with this rule, same results).
    static let singleThreadWork = 4e6

    nonisolated(unsafe) private static var currentThreads: Int32 = 0
    private static let setThreads = openMPSetNumThreads()

    /// Sizes the OpenMP team for a call doing about `work` operations. Must run before the
    /// call's primitive is planned as well as before it runs: oneDNN sizes a primitive's
    /// scratch space for the team it sees at planning, and a geometry always gets the same
    /// count. Call under `DNNL.lock`.
    static func prepareForDNNL(work: Double) {
        useTeam(work < singleThreadWork ? 1 : Int32(Kernels.threadCount))
    }

    /// The team size set last (0 before the first call): what a primitive planned now sees.
    static var team: Int32 { currentThreads }

    /// Sets the OpenMP team size; 0 means all cores. Every time, not only when it differs
    /// from the last: the size is a per-thread setting in libgomp, so a thread that has not
    /// set it (a test's, or a task's after a hop) would plan and run with its default team
    /// whatever another thread set last, and oneDNN sizes a primitive's scratch space for
    /// the team it sees at planning. Setting it costs nanoseconds.
    static func useTeam(_ threads: Int32) {
        _ = configured
        let wanted = threads > 0 ? threads : Int32(Kernels.threadCount)
        guard let setThreads else { return }
        setThreads(wanted)
        currentThreads = wanted
    }

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

    /// Tensor buffers of 1,024 floats or more that `body` allocated on this thread because
    /// the pool had none of that size free (issue 10: a sampling loop in its steady state
    /// allocates none; smaller buffers come from malloc's own caches).
    public static func tensorBufferAllocations(during body: () throws -> Void) rethrows -> Int {
        try BufferPool.countingMisses(body)
    }

    /// The oneDNN implementations planned so far, one line each (for benchmark reports).
    public static func implementationReport() -> [String] { ConvolutionKernel.implementationReport() }
}
