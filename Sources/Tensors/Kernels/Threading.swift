import COpenBLAS

/// Thread pools of the C libraries. OpenBLAS (pthreads) and oneDNN (OpenMP) each keep a
/// pool; both are sized to the cores once, so they take turns rather than oversubscribe.
enum Threading {
    private static let configured: Bool = {
        openblas_set_num_threads(Int32(Kernels.threadCount))
        return true
    }()

    static func prepareForBLAS() { _ = configured }
    static func prepareForDNNL() { _ = configured }
}
