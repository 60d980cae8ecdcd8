import Foundation

/// How the report writes numbers, times and durations: compactly, and the same way
/// everywhere, so columns of runs can be compared at a glance.
enum NumberFormat {
    /// A metric value to 4 significant digits (`0.9123`, `1.235e6`, `2e-5`); NaN and
    /// infinities as `NaN`, `+Inf` and `−Inf` (a real minus sign, like the other text).
    static func compact(_ value: Double, significantDigits: Int = 4) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "\u{2212}Inf" }
        // -0.0 would print as "-0", which reads like a sign error.
        let text = String(format: "%.\(significantDigits)g", value == 0 ? 0 : value)
        return tidiedExponent(text)
    }

    /// Whether `compact` writes `value` as one of the non-finite words.
    static func isFlagged(_ value: Double) -> Bool { !value.isFinite }

    /// A tick label: as many decimals as the tick spacing needs, so a 0.2-spaced axis
    /// reads `0.4`, not `0.4000000000000001`, and a 500-spaced one `1500`.
    static func tick(_ value: Double, spacing: Double) -> String {
        let value = value == 0 ? 0 : value
        guard spacing.isFinite, spacing > 0 else { return compact(value) }
        let magnitude = max(abs(value), spacing)
        if magnitude >= 1e6 || spacing < 1e-4 { return compact(value, significantDigits: 6) }
        let decimals = max(0, -Int((log10(spacing) + 1e-9).rounded(.down)))
        return String(format: "%.\(decimals)f", value)
    }

    /// An SVG coordinate to a tenth of a pixel, without trailing zeros; written by hand
    /// because a long history has tens of thousands of them and `String(format:)` is slow.
    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10
        let fraction = abs(tenths) % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// A count with thousands separated: `10,000`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A date in ISO 8601, UTC, to the second: `2026-11-29T19:15:00Z`.
    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format()
    }

    /// A duration as the two or three largest units: `12.3s`, `4m 05s`, `1h 02m 03s`,
    /// `2d 03h 04m`; `nil` for a negative one (a clock that went backwards).
    static func duration(_ seconds: TimeInterval) -> String? {
        guard seconds.isFinite, seconds >= 0 else { return nil }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let total = Int(seconds.rounded())
        let days = total / 86_400
        let hours = total / 3600 % 24
        let minutes = total / 60 % 60
        let secs = total % 60
        if days > 0 { return "\(days)d " + String(format: "%02dh %02dm", hours, minutes) }
        if hours > 0 { return "\(hours)h " + String(format: "%02dm %02ds", minutes, secs) }
        return "\(minutes)m " + String(format: "%02ds", secs)
    }

    /// `1.235e+06` → `1.235e6`, `1e-05` → `1e-5`: C's exponent padding only adds width.
    private static func tidiedExponent(_ text: String) -> String {
        guard let e = text.firstIndex(of: "e"),
            let exponent = Int(text[text.index(after: e)...])
        else { return text }
        return "\(text[..<e])e\(exponent)"
    }
}
