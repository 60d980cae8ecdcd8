import Foundation

/// Metric values as commands and reports print them.
public enum MetricText {
    /// A metric value as text: compact, with NaN and infinities spelled out.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded() && abs(value) < 1e9 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    /// A metric value for JSON: a number, or a string for NaN and infinities (JSON has neither).
    public static func json(_ value: Double) -> Any {
        value.isFinite ? value : format(value)
    }
}
