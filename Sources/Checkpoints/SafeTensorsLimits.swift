/// Bounds a reader enforces before it allocates anything a file asks for.
///
/// A safetensors file states its own sizes; a damaged or hostile file can state any. The
/// reader checks each stated size against these limits (and against the file's real size)
/// first, so the memory it takes is bounded by the limits, never by the file's claims.
public struct SafeTensorsLimits: Sendable, Equatable {
    /// The largest JSON header accepted, in bytes (the reference implementation's is 100 MB).
    public var maxHeaderBytes: Int
    /// The most elements accepted across all tensors (each becomes a 4-byte Float32).
    public var maxElements: Int

    /// Makes limits.
    public init(maxHeaderBytes: Int = 100_000_000, maxElements: Int = 1 << 31) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxElements = maxElements
    }

    /// 100 MB of header, 2³¹ elements (8 GiB of Float32).
    public static let `default` = SafeTensorsLimits()
}
