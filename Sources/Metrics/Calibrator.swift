/// The post-hoc calibration methods `Calibrator.fit` knows.
public enum CalibrationMethod: String, CaseIterable, Codable, Sendable {
    /// One temperature dividing the logits (`TemperatureScaling`).
    case temperature
    /// Equal-width histogram binning of the top-label confidence
    /// (`HistogramBinningCalibrator`, 15 bins).
    case histogram
    /// Isotonic regression of the top-label confidence (`IsotonicCalibrator`).
    case isotonic
}

/// A fitted calibrator of any method: fitted on validation logits, stored as JSON with a
/// run, and reapplied to the logits of other data.
///
/// Every case holds all it needs to be reapplied, and encodes as a JSON object keyed by
/// the method, for example `{"temperature":{"_0":{"temperature":1.7}}}`.
public enum Calibrator: Codable, Sendable, Equatable {
    /// Temperature scaling.
    case temperature(TemperatureScaling)
    /// Histogram binning of the top-label confidence.
    case histogram(HistogramBinningCalibrator)
    /// Isotonic regression of the top-label confidence.
    case isotonic(IsotonicCalibrator)

    /// The method this calibrator was fitted with.
    public var method: CalibrationMethod {
        switch self {
        case .temperature: return .temperature
        case .histogram: return .histogram
        case .isotonic: return .isotonic
        }
    }

    /// Fits `method` on validation `logits` (one row of K logits per sample) and `labels`
    /// (one class in 0..<K per sample), with each method's defaults.
    ///
    /// Throws `MetricsError` when there are no samples or a logit is NaN or infinite;
    /// mismatched counts, ragged rows and labels outside 0..<K are preconditions.
    public static func fit(method: CalibrationMethod, logits: [[Double]], labels: [Int]) throws -> Calibrator {
        switch method {
        case .temperature:
            return .temperature(try TemperatureScaling.fit(logits: logits, labels: labels))
        case .histogram:
            return .histogram(try HistogramBinningCalibrator.fit(logits: logits, labels: labels))
        case .isotonic:
            return .isotonic(try IsotonicCalibrator.fit(logits: logits, labels: labels))
        }
    }

    /// Calibrated class probabilities for each row of `logits`; each row sums to 1, and a
    /// row holding NaN or +∞, or only −∞, gives a row of NaN.
    public func calibrated(logits: [[Double]]) -> [[Double]] {
        switch self {
        case .temperature(let scaling): return scaling.calibrated(logits: logits)
        case .histogram(let calibrator): return calibrator.calibrated(logits: logits)
        case .isotonic(let calibrator): return calibrator.calibrated(logits: logits)
        }
    }
}
