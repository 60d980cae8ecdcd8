/// The version of Joule this binary is: the git commit it was built from, fixed at build time
/// (`CodeVersionPlugin`), never read from the folder it runs in.
public enum JouleVersion {
    /// The short commit hash, with `-dirty` for a build of uncommitted changes; "unknown" for
    /// a build outside a git checkout.
    public static let code: String = buildCodeVersion

    /// What `joule --version` prints.
    public static var description: String { "joule \(code)" }
}
