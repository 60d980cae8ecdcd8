/// A failure of the run store, naming the database file and what went wrong.
public struct RunStoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The database file (or `:memory:`).
    public let path: String
    /// What went wrong, in words.
    public let message: String
    /// SQLite's primary result code when the failure came from SQLite.
    public let code: Int32?

    /// An error about the store at `path`; `code` is SQLite's result code when SQLite reported the failure.
    public init(path: String, message: String, code: Int32? = nil) {
        self.path = path
        self.message = message
        self.code = code
    }

    /// "run store PATH: MESSAGE".
    public var description: String { "run store \(path): \(message)" }
}
