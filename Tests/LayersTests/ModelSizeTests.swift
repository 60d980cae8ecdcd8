import Tensors
import Testing

@testable import Layers

/// `ModelSpecification.parameterCount` against models actually built, for every
/// architecture, normalisation and a spread of input shapes and class counts; and the size
/// check that guards building from untrusted claims.
@Suite struct ModelSizeTests {
    @Test(arguments: ["mlp", "cnn-s", "energy-mlp", "energy-mlp-7", "wrn-10-1", "wrn-10-2", "wrn-16-1", "wrn-16-3"])
    func theCountMatchesTheBuiltModel(_ name: String) throws {
        for normalization in NormalizationKind.allCases where name.hasPrefix("wrn") || normalization == .none {
            let specification = try #require(ModelSpecification(name: name, normalization: normalization))
            for (channels, height, width, classes) in [(1, 28, 28, 10), (3, 8, 5, 2), (2, 1, 3, 7)] {
                var generator = SeededGenerator(seed: 1)
                let model = specification.make(
                    channels: channels, height: height, width: width, classes: classes, using: &generator)
                let counted = specification.parameterCount(
                    channels: channels, height: height, width: width, classes: classes)
                #expect(
                    counted == Double(model.parameterCount),
                    "\(name) \(normalization) \(channels)×\(height)×\(width) \(classes)")
            }
        }
    }

    @Test func absurdSizesAreRefusedWithoutBuilding() throws {
        let mlp = try #require(ModelSpecification(name: "mlp"))
        try mlp.checkSize(channels: 1, height: 28, width: 28, classes: 10)
        #expect { try mlp.checkSize(channels: 1, height: 1, width: 2_000_000_000, classes: 10) } throws: {
            "\($0)".contains("more than the 16777216 a model here takes")
        }
        // Inputs within bounds, parameters not: 16M inputs × 512 hidden units.
        #expect { try mlp.checkSize(channels: 1, height: 4096, width: 4096, classes: 10) } throws: {
            "\($0)".contains("more than the 2147483648")
        }
        let cnn = try #require(ModelSpecification(name: "cnn-s"))
        #expect(throws: ModelSizeError.self) {
            try cnn.checkSize(channels: 1, height: 1 << 20, width: 1 << 20, classes: 10)
        }
        #expect(throws: ModelSizeError.self) { try mlp.checkSize(channels: 0, height: 28, width: 28, classes: 10) }
        #expect(throws: ModelSizeError.self) { try mlp.checkSize(channels: 1, height: 28, width: 28, classes: -3) }
        let huge = try #require(ModelSpecification(name: "wrn-100000-1000"))
        #expect(throws: ModelSizeError.self) { try huge.checkSize(channels: 3, height: 32, width: 32, classes: 10) }
    }
}

@Suite struct GeneratorSizeTests {
    @Test func theCountMatchesTheBuiltGenerator() throws {
        for (name, latent, shape) in [
            ("mlp", 2, [2]), ("mlp-7", 3, [5]), ("mlp-9", 4, [1, 6, 5]), ("mlp", 16, [3, 4, 4]),
            ("deconv-2", 5, [1, 28, 28]), ("deconv-3", 2, [3, 28, 28]),
        ] {
            let specification = try #require(GeneratorSpecification(name: name, latentSize: latent))
            var generator = SeededGenerator(seed: 1)
            let built = specification.make(producing: shape, using: &generator)
            #expect(
                specification.parameterCount(producing: shape) == Double(built.parameterCount),
                "\(name) \(latent) \(shape)")
        }
    }
}
