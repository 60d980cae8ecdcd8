import Foundation
import Tensors
import Testing

@testable import Checkpoints

/// Files written by hand with each dtype; every one must come back as the right Float32.
@Suite("Reading other dtypes")
struct DTypeConversionTests {
    /// Reads a one-tensor file of `dtype` holding `data`.
    static func read(_ dtype: String, shape: [Int], data: [UInt8]) throws -> Tensor {
        let shapeText = shape.map(String.init).joined(separator: ",")
        let header = #"{"t":{"dtype":"\#(dtype)","shape":[\#(shapeText)],"data_offsets":[0,\#(data.count)]}}"#
        return try withTemporaryDirectory { directory in
            let url = try writeSafetensors(safetensorsBytes(header: header, data: data), in: directory)
            return try SafeTensors.read(from: url).tensor(named: "t")
        }
    }

    @Test func f16() throws {
        let cases: [(UInt16, Float)] = [
            (0x3c00, 1), (0xc000, -2), (0x7bff, 65504), (0x0001, 0x1p-24), (0x03ff, 0x3ffp-24),
            (0x0400, 0x1p-14), (0x8000, -0.0), (0x7c00, .infinity), (0xfc00, -.infinity),
            (0x3555, 0x1.554p-2), (0x5640, 100),
        ]
        let t = try Self.read("F16", shape: [cases.count], data: littleEndianBytes(cases.map(\.0)))
        #expect(bitPatterns(t) == cases.map(\.1.bitPattern))
        let nan = try Self.read("F16", shape: [], data: littleEndianBytes(UInt16(0x7e00)))
        #expect(nan.scalar.isNaN)
    }

    #if !(os(macOS) && arch(x86_64))
        /// Every one of the 65,536 halves against the standard library's `Float16`.
        @Test func f16ExhaustivelyAgainstFloat16() {
            for bits in UInt16.min...UInt16.max {
                let expected = Float(Float16(bitPattern: bits))
                let got = DType.float(fromHalf: bits)
                if expected.isNaN {
                    #expect(got.isNaN, "\(bits)")
                } else if got.bitPattern != expected.bitPattern {
                    Issue.record("half 0x\(String(bits, radix: 16)): \(got) != \(expected)")
                }
            }
        }
    #endif

    @Test func bf16() throws {
        let cases: [(UInt16, Float)] = [
            (0x3f80, 1), (0xc049, -3.140625), (0x7f80, .infinity), (0x0001, Float(bitPattern: 0x0001_0000)),
            (0x8000, -0.0), (0x4780, 65536), (0x7f7f, Float(bitPattern: 0x7f7f_0000)),
        ]
        let t = try Self.read("BF16", shape: [cases.count], data: littleEndianBytes(cases.map(\.0)))
        #expect(bitPatterns(t) == cases.map(\.1.bitPattern))
    }

    @Test func f64RoundsToNearest() throws {
        let values: [Double] = [0.1, -2.5, 1e300, -1e300, 1e-50, 16_777_217, .pi, -0.0]
        let t = try Self.read("F64", shape: [2, 4], data: littleEndianBytes(values.map(\.bitPattern)))
        #expect(t.shape == [2, 4])
        #expect(bitPatterns(t) == values.map { Float($0).bitPattern })
        #expect(t.scalars[2] == .infinity && t.scalars[4] == 0)
    }

    @Test func signedIntegers() throws {
        let i64: [Int64] = [-3, 1 << 40, .min, .max, 16_777_217]
        #expect(try Self.read("I64", shape: [5], data: littleEndianBytes(i64)).scalars == i64.map { Float($0) })
        let i32: [Int32] = [-1, .min, .max, 123_456]
        #expect(try Self.read("I32", shape: [4], data: littleEndianBytes(i32)).scalars == i32.map { Float($0) })
        let i16: [Int16] = [-1, .min, .max]
        #expect(try Self.read("I16", shape: [3], data: littleEndianBytes(i16)).scalars == [-1, -32768, 32767])
        let i8: [Int8] = [-1, .min, .max, 0]
        #expect(try Self.read("I8", shape: [2, 2], data: littleEndianBytes(i8)).scalars == [-1, -128, 127, 0])
    }

    @Test func unsignedIntegers() throws {
        #expect(try Self.read("U8", shape: [4], data: [0, 1, 128, 255]).scalars == [0, 1, 128, 255])
        let u16: [UInt16] = [0, .max]
        #expect(try Self.read("U16", shape: [2], data: littleEndianBytes(u16)).scalars == [0, 65535])
        let u32: [UInt32] = [7, .max]
        #expect(try Self.read("U32", shape: [2], data: littleEndianBytes(u32)).scalars == u32.map { Float($0) })
        let u64: [UInt64] = [7, .max]
        #expect(try Self.read("U64", shape: [2], data: littleEndianBytes(u64)).scalars == u64.map { Float($0) })
    }

    @Test func boolIsZeroOrOne() throws {
        #expect(try Self.read("BOOL", shape: [4], data: [0, 1, 2, 255]).scalars == [0, 1, 1, 1])
    }

    @Test func f32IsReadAsIs() throws {
        let values: [Float] = [1.5, -.infinity, .leastNonzeroMagnitude, -0.0]
        let t = try Self.read("F32", shape: [2, 2], data: littleEndianBytes(values.map(\.bitPattern)))
        #expect(bitPatterns(t) == values.map(\.bitPattern))
    }

    /// More elements than one 1 MiB conversion chunk holds, so chunk boundaries are crossed.
    @Test func conversionAcrossChunks() throws {
        let count = 300_001
        let values = (0..<count).map { Double($0) * 0.25 - 1000 }
        let t = try Self.read("F64", shape: [count], data: littleEndianBytes(values.map(\.bitPattern)))
        #expect(t.scalars == values.map { Float($0) })
        let halves = (0..<count).map { UInt16(truncatingIfNeeded: $0 * 7) }
        let h = try Self.read("F16", shape: [count], data: littleEndianBytes(halves))
        let expected = halves.map { DType.float(fromHalf: $0).bitPattern }
        #expect(bitPatterns(h) == expected)
    }

    /// Several dtypes in one file, at offsets that are not multiples of their sizes.
    @Test func mixedDTypesAtUnalignedOffsets() throws {
        let header =
            #"{"flag":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]},"#
            + #""half":{"dtype":"F16","shape":[1],"data_offsets":[1,3]},"#
            + #""wide":{"dtype":"F64","shape":[1],"data_offsets":[3,11]},"#
            + #""long":{"dtype":"I64","shape":[],"data_offsets":[11,19]}}"#
        let data: [UInt8] =
            [1] + littleEndianBytes(UInt16(0xbc00)) + littleEndianBytes((2.25).bitPattern)
            + littleEndianBytes(Int64(-9))
        try withTemporaryDirectory { directory in
            let url = try writeSafetensors(safetensorsBytes(header: header, data: data), in: directory)
            let file = try SafeTensors.read(from: url)
            #expect(file.names == ["flag", "half", "wide", "long"])
            #expect(try file.tensor(named: "flag").scalars == [1])
            #expect(try file.tensor(named: "half").scalars == [-1])
            #expect(try file.tensor(named: "wide").scalars == [2.25])
            #expect(try file.tensor(named: "long").shape == [])
            #expect(try file.tensor(named: "long").scalar == -9)
        }
    }
}
