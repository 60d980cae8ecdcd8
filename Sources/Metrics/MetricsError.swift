/// A problem with the data given to a metric or a calibrator, one the caller can cause
/// and should report (as opposed to mismatched lengths or labels out of range, which are
/// programmer errors and stop the program with a precondition).
public enum MetricsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input named `values` has no elements, so the metric is undefined.
    case empty(values: String)
    /// Element `index` of the input named `values` is NaN or infinite.
    case nonFinite(values: String, index: Int)
    /// Element `index` of the input named `values` is finite but outside `range`
    /// (written as text, for example "[0, 1]").
    case outOfRange(values: String, index: Int, value: Double, range: String)
    /// A request that cannot be met, in words (a coverage outside (0, 1), mismatched counts).
    case invalid(String)

    /// One line naming the input, the element and what is wrong with it.
    public var description: String {
        switch self {
        case .empty(let values):
            return "\(values): empty; the metric needs at least one element"
        case .nonFinite(let values, let index):
            return "\(values): element \(index) is not finite (NaN or infinite)"
        case .outOfRange(let values, let index, let value, let range):
            return "\(values): element \(index) is \(value), outside \(range)"
        case .invalid(let problem):
            return problem
        }
    }
}
