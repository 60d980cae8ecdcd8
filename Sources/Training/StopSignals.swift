import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM turned into a request the trainer checks between steps, so a run
/// stops at a step boundary, writes its checkpoint and is recorded as KILLED. A second
/// signal of the same kind ends the process at once.
public enum StopSignals {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (idempotent), and unblocks the two signals on this thread: a
    /// process started by another program may inherit them blocked and would never see them.
    public static func install() {
        // Initialise the flag here, not lazily inside the handler.
        _ = received.load(ordering: .relaxed)
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received so far, if any.
    public static var pending: Int32? {
        let value = received.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// `SIGINT`, `SIGTERM`, or `signal N`.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    /// For tests: forget a received signal.
    public static func reset() { received.store(0, ordering: .relaxed) }

    private static let handler: @convention(c) (Int32) -> Void = { signal in
        // Only async-signal-safe work here: an atomic store, or the default action.
        if StopSignals.received.load(ordering: .relaxed) == signal {
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
            return
        }
        StopSignals.received.store(signal, ordering: .relaxed)
    }
}
