/// The element types a safetensors file may hold that this reader converts to Float32.
///
/// Every tensor in Joule is Float32, so reading converts: floats round to nearest (F64), or
/// widen exactly (F16, BF16); integers round to the nearest Float32 (exact up to 2²⁴);
/// BOOL becomes 0 or 1. The FP8 types of the format are not supported.
enum DType: String, CaseIterable, Sendable {
    case f64 = "F64"
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i64 = "I64"
    case i32 = "I32"
    case i16 = "I16"
    case i8 = "I8"
    case u64 = "U64"
    case u32 = "U32"
    case u16 = "U16"
    case u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .f64, .i64, .u64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// Converts little-endian elements to Float32; `bytes.count` is `output.count * size`.
    func convert(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(
            bytes.count == output.count * size,
            "DType.convert: \(bytes.count) bytes for \(output.count) \(rawValue) elements")
        // Loads are unaligned: a tensor's offset in the file need not be a multiple of its size.
        func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
            T(littleEndian: bytes.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
        }
        switch self {
        case .f64: for i in output.indices { output[i] = Float(Double(bitPattern: load(UInt64.self, i))) }
        case .f32: for i in output.indices { output[i] = Float(bitPattern: load(UInt32.self, i)) }
        case .f16: for i in output.indices { output[i] = Self.float(fromHalf: load(UInt16.self, i)) }
        case .bf16: for i in output.indices { output[i] = Float(bitPattern: UInt32(load(UInt16.self, i)) << 16) }
        case .i64: for i in output.indices { output[i] = Float(load(Int64.self, i)) }
        case .i32: for i in output.indices { output[i] = Float(load(Int32.self, i)) }
        case .i16: for i in output.indices { output[i] = Float(load(Int16.self, i)) }
        case .i8: for i in output.indices { output[i] = Float(load(Int8.self, i)) }
        case .u64: for i in output.indices { output[i] = Float(load(UInt64.self, i)) }
        case .u32: for i in output.indices { output[i] = Float(load(UInt32.self, i)) }
        case .u16: for i in output.indices { output[i] = Float(load(UInt16.self, i)) }
        case .u8: for i in output.indices { output[i] = Float(load(UInt8.self, i)) }
        // NumPy and PyTorch read any nonzero byte as true.
        case .bool: for i in output.indices { output[i] = load(UInt8.self, i) == 0 ? 0 : 1 }
        }
    }

    /// IEEE 754 binary16 to binary32, exactly (every half is a float).
    ///
    /// Written out rather than through `Float16`, which Swift lacks on Intel Macs.
    static func float(fromHalf bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits >> 15) << 31
        let exponent = UInt32(bits >> 10) & 0x1f
        let mantissa = UInt32(bits) & 0x3ff
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in Float32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1f:
            // Infinity or NaN; the NaN payload moves to the top of Float32's mantissa.
            return Float(bitPattern: sign | 0x7f80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | mantissa << 13)
        }
    }
}
