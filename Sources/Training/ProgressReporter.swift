import Foundation

/// Progress of a training run on standard error: a redrawn bar (rate, ETA, running loss
/// and accuracy) on a terminal, plain periodic lines otherwise (logs, CI).
public final class ProgressReporter {
    public enum Style { case bar, lines, silent }

    private let style: Style
    private let total: Int
    private var lastDraw = Date.distantPast
    private let start = Date()
    private let lineInterval: TimeInterval

    public init(style: Style? = nil, totalSteps: Int, lineInterval: TimeInterval = 10) {
        self.style = style ?? (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
        self.total = totalSteps
        self.lineInterval = lineInterval
    }

    /// Reports step `step` (1-based) of `total`, throttled.
    public func update(step: Int, startedAt firstStep: Int, epoch: Int, loss: Double, accuracy: Double, learningRate: Float) {
        let now = Date()
        let interval = style == .bar ? 0.2 : lineInterval
        guard style != .silent, now.timeIntervalSince(lastDraw) >= interval || step == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(step - firstStep) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - step) / rate : 0
        // Energy objectives have no accuracy (NaN): the column is left out.
        let stats = String(format: "loss %.4f  ", loss) + (accuracy.isNaN ? "" : String(format: "acc %.3f  ", accuracy))
            + String(format: "lr %.2e  %.1f it/s  ETA %@", learningRate, rate, Self.duration(eta))
        switch style {
        case .bar:
            let width = 30
            let filled = total > 0 ? Int(Double(width) * Double(step) / Double(total)) : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2Kepoch \(epoch + 1) [\(bar)] \(step)/\(total)  \(stats)".utf8))
        case .lines:
            FileHandle.standardError.write(Data("epoch \(epoch + 1) step \(step)/\(total)  \(stats)\n".utf8))
        case .silent:
            break
        }
    }

    /// A line of its own (validation results, checkpoints), ending any bar first.
    public func note(_ text: String) {
        guard style != .silent else { return }
        FileHandle.standardError.write(Data(((style == .bar ? "\r\u{1B}[2K" : "") + text + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
