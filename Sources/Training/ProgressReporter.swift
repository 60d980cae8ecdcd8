import Foundation

/// Progress of a training run on standard error: a redrawn bar (rate, ETA, running loss
/// and accuracy) on a terminal, plain periodic lines otherwise (logs, CI).
///
/// The bar always fits the terminal's width, read again at every redraw (a resized window
/// is followed): a line longer than the terminal would wrap, and the carriage return that
/// redraws it would return only to its last row, leaving a stack of broken bars. Fields go
/// in order of need — the rate, then the learning rate, then the bar's width, then the
/// accuracy — and what still does not fit is cut.
public final class ProgressReporter {
    /// How progress is written: a redrawn bar (terminals), plain periodic lines (logs, CI), or nothing.
    public enum Style { case bar, lines, silent }

    private let style: Style
    private let total: Int
    private var lastDraw = Date.distantPast
    private let start = Date()
    private let lineInterval: TimeInterval
    /// The width to fit when standard error is not a terminal that says its own (tests).
    private let fixedWidth: Int?

    /// A reporter for a run of `totalSteps` steps: `style` nil picks the bar on a terminal and lines otherwise;
    /// `lineInterval` is the seconds between plain lines, and `width` fixes the bar's width (tests).
    public init(style: Style? = nil, totalSteps: Int, lineInterval: TimeInterval = 10, width: Int? = nil) {
        self.style = style ?? (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
        self.total = totalSteps
        self.lineInterval = lineInterval
        fixedWidth = width
    }

    /// Reports step `step` (1-based) of `total`, throttled.
    public func update(
        step: Int, startedAt firstStep: Int, epoch: Int, loss: Double, accuracy: Double, learningRate: Float
    ) {
        let now = Date()
        let interval = style == .bar ? 0.2 : lineInterval
        guard style != .silent, now.timeIntervalSince(lastDraw) >= interval || step == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(step - firstStep) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - step) / rate : 0
        let fields = Fields(
            epoch: epoch + 1, step: step, total: total, loss: loss, accuracy: accuracy, learningRate: learningRate,
            rate: rate, eta: Self.duration(eta))
        switch style {
        case .bar:
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(fields.bar(fitting: terminalWidth - 1))".utf8))
        case .lines:
            FileHandle.standardError.write(Data("\(fields.line)\n".utf8))
        case .silent:
            break
        }
    }

    /// A line of its own (validation results, checkpoints), ending any bar first.
    public func note(_ text: String) {
        guard style != .silent else { return }
        FileHandle.standardError.write(Data(((style == .bar ? "\r\u{1B}[2K" : "") + text + "\n").utf8))
    }

    /// The terminal's columns (80 when it does not say).
    private var terminalWidth: Int {
        if let fixedWidth { return fixedWidth }
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// One redraw's values, and the ways of writing them.
    struct Fields {
        var epoch: Int, step: Int, total: Int
        var loss: Double, accuracy: Double
        var learningRate: Float
        var rate: Double
        var eta: String

        /// The plain line for logs: every field.
        var line: String {
            "epoch \(epoch) step \(step)/\(total)  loss \(format(loss))  "
                + (accuracy.isNaN ? "" : "acc \(format(accuracy, 3))  ")
                + String(format: "lr %.2e  %.1f it/s  ETA %@", learningRate, rate, eta)
        }

        /// The bar at most `width` characters wide: the longest variant that fits, cut if
        /// even the shortest does not.
        func bar(fitting width: Int) -> String {
            let stats = "loss \(format(loss))" + (accuracy.isNaN ? "" : "  acc \(format(accuracy, 3))")
            let rateText = String(format: "%.1f it/s", rate)
            let lrText = String(format: "lr %.2e", learningRate)
            let variants: [(barWidth: Int, tail: [String])] = [
                (30, [stats, lrText, rateText, "ETA \(eta)"]),
                (30, [stats, lrText, "ETA \(eta)"]),
                (20, [stats, "ETA \(eta)"]),
                (10, [stats, "ETA \(eta)"]),
                (10, ["loss \(format(loss))", "ETA \(eta)"]),
                (0, ["loss \(format(loss))", "ETA \(eta)"]),
            ]
            var text = ""
            for variant in variants {
                text = compose(barWidth: variant.barWidth, tail: variant.tail)
                if text.count <= width { return text }
            }
            return String(text.prefix(max(width, 0)))
        }

        private func compose(barWidth: Int, tail: [String]) -> String {
            var head = "epoch \(epoch) "
            if barWidth > 0 {
                let filled = total > 0 ? min(barWidth, Int(Double(barWidth) * Double(step) / Double(total))) : barWidth
                head +=
                    "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled)
                    + "] "
            }
            return head + "\(step)/\(total)  " + tail.joined(separator: "  ")
        }

        private func format(_ value: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", value) }
    }
}
