import Foundation
import RunLog

/// A command the tool suggests (resume, evaluate, report), written so that pasting it into
/// the same shell, in the same folder, runs it: the executable as it was invoked, the run
/// store when an option chose it, and every argument quoted for a POSIX shell.
enum CommandHint {
    /// `joule ARGUMENTS… [--runs-db PATH]`.
    static func command(_ arguments: [String], store: RunStoreLocation?) -> String {
        ([executable] + arguments + (store?.commandArguments ?? [])).map(quoted).joined(separator: " ")
    }

    /// The executable as typed: a path when it was invoked by one (`.build/release/joule`),
    /// else `joule` (found on PATH).
    static var executable: String {
        let invoked = CommandLine.arguments.first ?? "joule"
        return invoked.contains("/") ? invoked : "joule"
    }

    /// `text` as one word of a POSIX shell command line.
    static func quoted(_ text: String) -> String {
        let plain = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(plain.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
