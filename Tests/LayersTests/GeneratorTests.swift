import Tensors
import Testing

@testable import Layers

/// The learned samplers' generators: names parse, outputs have the data's shape and range,
/// tensors carry PyTorch's Sequential names, and batch norm works on [N, C] in both modes.
@Suite struct GeneratorTests {
    @Test func namesParse() {
        #expect(GeneratorSpecification(name: "mlp", latentSize: 2)?.architecture == .mlp(width: 500))
        #expect(GeneratorSpecification(name: "mlp-100", latentSize: 2)?.name == "mlp-100")
        #expect(GeneratorSpecification(name: "deconv", latentSize: 128)?.architecture == .deconv(features: 64))
        #expect(GeneratorSpecification(name: "Deconv-32", latentSize: 128)?.name == "deconv-32")
        for bad in ["", "mlp-", "mlp-0", "deconv-x", "cnn-s", "mlpx"] {
            #expect(GeneratorSpecification(name: bad, latentSize: 2) == nil, "\(bad)")
        }
        #expect(GeneratorSpecification(name: "mlp", latentSize: 0) == nil)
        #expect(GeneratorSpecification(name: "deconv", latentSize: 8)?.problem(producing: [2]) != nil)
        #expect(GeneratorSpecification(name: "deconv", latentSize: 8)?.problem(producing: [1, 28, 28]) == nil)
    }

    @Test(arguments: [
        ("mlp-32", [1, 28, 28]), ("deconv-8", [1, 28, 28]), ("deconv-4", [3, 28, 28]), ("mlp-16", [2]),
    ])
    func outputsHaveTheDataShape(name: String, shape: [Int]) throws {
        var rng = SeededGenerator(seed: 1)
        let specification = try #require(GeneratorSpecification(name: name, latentSize: 6))
        let generator = specification.make(producing: shape, using: &rng)
        let z = Tensor(randomNormal: [5, 6], using: &rng)
        let state = ForwardState(isTraining: true)
        let x = generator(z, context: ForwardContext(state: state))
        #expect(x.shape == [5] + shape)
        if shape.count == 3 { #expect(x.scalars.allSatisfy { abs($0) <= 1 }) }
        #expect(x.scalars.allSatisfy { $0.isFinite })
        // Training updates the batch-norm running statistics; evaluation reads them.
        #expect(!state.bufferUpdates.isEmpty)
        let evaluated = generator(z, context: ForwardContext.inference())
        #expect(evaluated.shape == x.shape)
    }

    @Test func deconvolutionalNamesFollowPyTorch() {
        var rng = SeededGenerator(seed: 2)
        let generator = Generators.deconvolutional(latentSize: 4, features: 2, channels: 1, using: &rng)
        var names: [String: [Int]] = [:]
        _ = generator.mapNamedTensors(prefix: "") { slot, tensor in
            names[slot.name] = tensor.shape
            return tensor
        }
        #expect(names["0.weight"] == [64, 4] && names["1.running_var"] == [64])
        #expect(names["4.weight"] == [16, 8, 5, 5] && names["5.weight"] == [8])
        #expect(names["13.weight"] == [2, 1, 5, 5] && names["13.bias"] == [1])
    }

    /// BatchNorm1d standardises each feature over the batch, as PyTorch does in training, keeps
    /// running statistics with the unbiased variance, and reads them in evaluation.
    @Test func batchNormOverFeatures() {
        let bn = BatchNorm(channels: 2)
        let x = Tensor([1, 10, 3, 20, 5, 30], shape: [3, 2])
        let state = ForwardState(isTraining: true)
        let y = bn(x, context: ForwardContext(state: state)).scalars
        let expected: [Float] = [-1.2247, -1.2247, 0, 0, 1.2247, 1.2247]
        #expect(zip(y, expected).allSatisfy { abs($0 - $1) < 1e-3 }, "\(y)")
        // Means 3 and 20, unbiased variances 4 and 100; momentum 0.1 from mean 0, variance 1.
        let updated = bn.applyingBufferUpdates(from: state)
        #expect(
            zip(updated.runningMean.scalars, [0.3, 2.0]).allSatisfy { abs($0 - $1) < 1e-5 },
            "\(updated.runningMean.scalars)")
        #expect(
            zip(updated.runningVariance.scalars, [1.3, 10.9]).allSatisfy { abs($0 - $1) < 1e-4 },
            "\(updated.runningVariance.scalars)")
        // Evaluation: (x − 0.3)/√(1.3 + ε) and (x − 2)/√(10.9 + ε) for x = (1, 10).
        let evaluated = updated(Tensor([1, 10], shape: [1, 2]), context: .inference()).scalars
        let reference: [Float] = [0.7 / (1.3 as Float + 1e-5).squareRoot(), 8 / (10.9 as Float + 1e-5).squareRoot()]
        #expect(zip(evaluated, reference).allSatisfy { abs($0 - $1) < 1e-5 }, "\(evaluated)")
    }
}
