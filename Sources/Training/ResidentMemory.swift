import Foundation

/// This process's resident memory, for the run's record: a run logs it every
/// `ResidentMemory.loggingInterval` steps as `process/resident_mb`, so a leak shows as a
/// rising curve in the report (and `scripts/memory-check.sh` checks that it is flat).
enum ResidentMemory {
    /// Steps between two readings (a reading is one small file read).
    static let loggingInterval = 50

    /// Resident megabytes (2^20 bytes) from `/proc/self/statm`; nil where there is no /proc.
    static func megabytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// `[("process/resident_mb", value)]` on logging steps, else nothing.
    static func metrics(atStep step: Int) -> [(String, Double)] {
        guard step % loggingInterval == 0, let value = megabytes() else { return [] }
        return [("process/resident_mb", value)]
    }
}
