import Foundation

/// Run ids: the UTC start time and four random hex digits, e.g. `20261129-174512-3fa2`:
/// sortable by time, unique enough for one user's runs, safe in file names.
public enum RunIdentifier {
    /// A new id for a run started at `date` (default: now), with fresh random digits.
    public static func make(date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "\(formatter.string(from: date))-\(String(format: "%04x", UInt16.random(in: .min ... .max)))"
    }
}
