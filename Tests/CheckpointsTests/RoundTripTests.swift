import Foundation
import Tensors
import Testing

@testable import Checkpoints

@Suite("Round trip")
struct RoundTripTests {
    /// Values that survive only a bit-exact round trip: signed zero, NaN payloads,
    /// infinities, subnormals, extremes.
    static let specialValues: [Float] = [
        0, -0.0, 1, -1, .pi, .infinity, -.infinity, .nan, Float(bitPattern: 0x7fc0_1234),
        Float(bitPattern: 0xffa0_0001), .leastNonzeroMagnitude, -.leastNormalMagnitude,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0x1p-130, 3.4e38,
    ]

    static func sample() throws -> SafeTensors {
        var rng = SeededGenerator(seed: 7)
        return try SafeTensors(
            [
                ("z.last-written-first", Tensor(randomNormal: [3, 4, 5], standardDeviation: 2, using: &rng)),
                ("scalar", Tensor(42.5)),
                ("empty", Tensor([], shape: [0])),
                ("empty.middle", Tensor([], shape: [2, 0, 3])),
                ("special", Tensor(specialValues, shape: [4, 4])),
                ("a \"quoted\" \\ näme ✓ \n", Tensor([1, 2, 3])),
                ("", Tensor([-7], shape: [1, 1, 1, 1])),
            ],
            metadata: [
                "format": "pt",
                "step": "1200",
                "quote\"back\\slash": "line\nbreak\ttab\u{1}control é 😀",
                "": "",
            ])
    }

    @Test func namesOrderShapesValuesAndMetadataSurvive() throws {
        let original = try Self.sample()
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try original.write(to: url)
            let read = try SafeTensors.read(from: url)
            #expect(read.names == original.names)
            #expect(read.metadata == original.metadata)
            for (written, back) in zip(original.entries, read.entries) {
                #expect(back.tensor.shape == written.tensor.shape, "\(written.name)")
                #expect(bitPatterns(back.tensor) == bitPatterns(written.tensor), "\(written.name)")
            }
        }
    }

    @Test func scalarAndEmptyTensorsKeepTheirShapes() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("shapes.safetensors")
            try Self.sample().write(to: url)
            let read = try SafeTensors.read(from: url)
            #expect(try read.tensor(named: "scalar").shape == [])
            #expect(try read.tensor(named: "scalar").scalar == 42.5)
            #expect(try read.tensor(named: "empty").shape == [0])
            #expect(try read.tensor(named: "empty.middle").shape == [2, 0, 3])
            #expect(try read.tensor(named: "empty.middle").scalarCount == 0)
        }
    }

    @Test func aFileWithoutTensorsOrMetadataRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("empty.safetensors")
            try SafeTensors().write(to: url)
            let read = try SafeTensors.read(from: url)
            #expect(read.count == 0)
            #expect(read.metadata.isEmpty)
            #expect(try Data(contentsOf: url).count == 16)
        }
    }

    /// Large enough to cross the reader's 1 MiB conversion chunks and the F32 direct read.
    @Test func largeTensorsRoundTrip() throws {
        var rng = SeededGenerator(seed: 3)
        let big = Tensor(randomUniform: [1000, 1537], lower: -5, upper: 5, using: &rng)
        let original = try SafeTensors([("big", big), ("after", Tensor([9, 8]))])
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("big.safetensors")
            try original.write(to: url)
            let read = try SafeTensors.read(from: url)
            #expect(bitPatterns(try read.tensor(named: "big")) == bitPatterns(big))
            #expect(try read.tensor(named: "after").scalars == [9, 8])
        }
    }

    @Test func tensorsThatCarryADerivativeAreWrittenByValue() throws {
        let x = Tensor([1, 2, 3])
        var written: [Float] = []
        _ = gradient(at: x) { x in
            let y = x * x
            try? withTemporaryDirectory { directory in
                let url = directory.appendingPathComponent("recorded.safetensors")
                try SafeTensors([("y", y)]).write(to: url)
                written = try SafeTensors.read(from: url).tensor(named: "y").scalars
            }
            return y.sum()
        }
        #expect(written == [1, 4, 9])
    }
}

@Suite("SafeTensors value")
struct SafeTensorsValueTests {
    @Test func lookupByName() throws {
        let file = try SafeTensors([("a", Tensor([1])), ("b", Tensor([2, 3]))])
        #expect(file["b"]?.scalars == [2, 3])
        #expect(file["c"] == nil)
        #expect(try file.tensor(named: "a").scalars == [1])
        #expect(file.count == 2)
    }

    @Test func aMissingTensorIsNamedInTheError() throws {
        let file = try SafeTensors([("encoder.weight", Tensor([1])), ("encoder.bias", Tensor([2]))])
        let error = #expect(throws: CheckpointError.self) { try file.tensor(named: "decoder.weight") }
        #expect(
            error?.problem == .missingTensor(name: "decoder.weight", available: ["encoder.weight", "encoder.bias"]))
        #expect(error?.description.contains("'decoder.weight'") == true)
        #expect(error?.description.contains("encoder.bias") == true)
    }

    @Test func namesAreUniqueAndMetadataKeyIsReserved() throws {
        var file = SafeTensors()
        try file.append(Tensor([1]), named: "w")
        #expect(throws: CheckpointError(path: nil, problem: .duplicateTensorName("w"))) {
            try file.append(Tensor([2]), named: "w")
        }
        #expect(throws: CheckpointError(path: nil, problem: .reservedTensorName)) {
            try file.append(Tensor([2]), named: "__metadata__")
        }
        #expect(throws: CheckpointError(path: nil, problem: .duplicateTensorName("x"))) {
            try SafeTensors([("x", Tensor([1])), ("x", Tensor([2]))])
        }
        #expect(file.names == ["w"])
        #expect(file["w"]?.scalars == [1])
    }

    @Test func insertionOrderIsKeptNotSorted() throws {
        let names = ["zeta", "alpha", "mu", "beta.2", "beta.10"]
        let file = try SafeTensors(names.map { ($0, Tensor([1])) })
        #expect(file.names == names)
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("order.safetensors")
            try file.write(to: url)
            #expect(try SafeTensors.read(from: url).names == names)
        }
    }
}
