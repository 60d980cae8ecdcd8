import Foundation

/// File errors as a person reads them.
public enum FileError {
    /// The operating system's reason ("Permission denied"), not Foundation's wrapper
    /// ("NSCocoaErrorDomain error 512").
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
