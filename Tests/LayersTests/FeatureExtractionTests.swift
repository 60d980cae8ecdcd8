import Testing

@testable import Layers
@testable import Tensors

/// Penultimate features are what the last linear layer reads: the read-out applied to them gives the logits.
@Suite struct FeatureExtractionTests {
    func expectReadOut(_ model: AnyLayer, readOut: Linear, input: Tensor, width: Int) throws {
        let extract = try #require(model.featureExtractor)
        let context = ForwardContext.inference()
        let features = extract(input, context)
        #expect(features.shape == [input.shape[0], width])
        let logits = model(input, context: context).scalars
        let fromFeatures = readOut(features, context: context).scalars
        for (a, b) in zip(logits, fromFeatures) { #expect(abs(a - b) <= 1e-5 * max(1, abs(a))) }
    }

    @Test func sequentialModelsGiveTheInputOfTheirLastLinearLayer() throws {
        var rng = SeededGenerator(seed: 4)
        let x = Tensor(randomNormal: [3, 1, 8, 8], using: &rng)
        let cnn = StandardModels.cnnS(classes: 5, using: &rng)
        try expectReadOut(AnyLayer(cnn), readOut: try #require(cnn.layers.last as? Linear), input: x, width: 256)
        let mlp = StandardModels.mlp(inputSize: 64, hidden: 32, classes: 5, using: &rng)
        try expectReadOut(AnyLayer(mlp), readOut: try #require(mlp.layers.last as? Linear), input: x, width: 32)
    }

    @Test func wideResNetsGiveTheirPooledOutput() throws {
        var rng = SeededGenerator(seed: 5)
        let wrn = WideResNet(depth: 10, widen: 1, classes: 4, using: &rng)
        let x = Tensor(randomNormal: [2, 1, 8, 8], using: &rng)
        try expectReadOut(AnyLayer(wrn), readOut: wrn.linear, input: x, width: 64)
    }

    @Test func aNetworkWithoutALinearReadOutHasNoFeatures() {
        #expect(AnyLayer(LeakyReLU(negativeSlope: 0.2)).featureExtractor == nil)
    }
}
