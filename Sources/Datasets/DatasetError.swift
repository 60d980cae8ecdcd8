/// Why a dataset file could not be read or written: each case names the file (path) and
/// says what is wrong with it, so a user can fix the input without reading the code.
///
/// Programming errors (an index out of range, a batch size of zero) are preconditions
/// instead; only files and user input throw.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or directory does not exist; `advice` says how to get it.
    case missing(path: String, advice: String)
    /// The file exists but could not be opened or read (permissions, I/O, a directory
    /// where a file was expected).
    case unreadable(path: String, reason: String)
    /// The file could not be created or written.
    case unwritable(path: String, reason: String)
    /// The file was read but its contents are not what the format requires.
    case malformed(path: String, reason: String)
    /// A line of a text file (counted from 1) is not what the format requires.
    case malformedLine(path: String, line: Int, reason: String)

    /// The file or directory the error is about.
    public var path: String {
        switch self {
        case .missing(let path, _), .unreadable(let path, _), .unwritable(let path, _),
            .malformed(let path, _), .malformedLine(let path, _, _):
            return path
        }
    }

    /// One line: the path first, then the problem.
    public var description: String {
        switch self {
        case .missing(let path, let advice):
            return "\(path): not found; \(advice)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .unwritable(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .malformed(let path, let reason):
            return "\(path): \(reason)"
        case .malformedLine(let path, let line, let reason):
            return "\(path), line \(line): \(reason)"
        }
    }
}
