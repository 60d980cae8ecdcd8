/// A setting that is missing, misspelt or out of range.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case invalid(key: String, problem: String)
    case unknownKey(String, file: String, known: Set<String>)
    case wrongType(key: String, expected: String, file: String, given: String? = nil)
    case unreadable(file: String, problem: String)

    /// The message for the user: the file, the setting and the problem; an unknown name suggests close ones.
    public var description: String {
        switch self {
        case .invalid(let key, let problem): return "setting '\(key)': \(problem)"
        case .unknownKey(let key, let file, let known):
            let close = known.filter { $0.hasPrefix(String(key.prefix(3))) || key.hasPrefix(String($0.prefix(3))) }
                .sorted().prefix(4)
            return "\(file): unknown setting '\(key)'"
                + (close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)")
        case .wrongType(let key, let expected, let file, let given):
            return "\(file): setting '\(key)' " + (given.map { "is '\($0)', but " } ?? "") + "must be \(expected)"
        case .unreadable(let file, let problem): return "\(file): \(problem)"
        }
    }
}
