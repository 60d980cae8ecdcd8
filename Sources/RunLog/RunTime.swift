import Foundation

/// Times in filters and output: ISO 8601 in UTC.
public enum RunTime {
    /// Parses `2026-11-29`, `2026-11-29T19:00` or `2026-11-29T19:00:05Z` (UTC unless a zone is given).
    public static func parse(_ text: String) -> Date? {
        // A time is plain ASCII. Anything else never reaches DateFormatter, which traps on
        // combining marks (`'202\u{59A}'` in a filter, found by `scripts/fuzz.sh filter`).
        guard text.utf8.count <= 64, text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        for format in [
            "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss",
            "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        ] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `2026-11-29T19:00:05Z`.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
