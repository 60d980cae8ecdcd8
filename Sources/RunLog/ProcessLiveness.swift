#if canImport(Glibc)
    import Glibc
#endif

/// Whether a process exists on this machine.
enum ProcessLiveness {
    static func isAlive(pid: Int) -> Bool {
        guard pid > 0, let id = pid_t(exactly: pid) else { return false }
        // Signal 0 checks existence; EPERM means it exists but belongs to someone else.
        return kill(id, 0) == 0 || errno == EPERM
    }
}
