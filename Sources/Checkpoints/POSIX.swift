// The few system calls the reader and writer make themselves: they need `errno` (for the
// system's wording of a failure), `pread` into a tensor's buffer, and `fsync`, which
// FileHandle does not all expose on every platform.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The C library's wording for an `errno` value ("No space left on device").
func errorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// `write(2)`, under a name no method shadows.
func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// `pread(2)`, under a name no method shadows.
func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int, at offset: Int) -> Int {
    pread(descriptor, bytes, count, off_t(offset))
}
