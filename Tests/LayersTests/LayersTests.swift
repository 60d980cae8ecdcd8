import Testing

@testable import Layers
@testable import Tensors

/// Layers: PyTorch names and initialisation, forward maths, training/evaluation modes,
/// state dicts, gradients shaped like the model.
@Suite struct LayersTests {
    @Test func standardModelsUsePyTorchSequentialNames() {
        var rng = SeededGenerator(seed: 1)
        let mlp = StandardModels.mlp(using: &rng)
        #expect(
            mlp.namedTensors.map(\.slot.name) == ["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"])
        #expect(mlp.namedTensors.map(\.tensor.shape) == [[512, 784], [512], [512, 512], [512], [10, 512], [10]])
        let cnn = StandardModels.cnnS(using: &rng)
        #expect(
            cnn.namedTensors.map(\.slot.name) == [
                "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                "6.weight", "6.bias", "8.weight", "8.bias", "12.weight", "12.bias",
            ])
        #expect(
            cnn.parameterCount == 64 * 9 + 64 + 64 * 64 * 9 + 64 + 128 * 64 * 9 + 128 + 128 * 128 * 9 + 128
                + 256 * 128 * 9 + 256 + 2570)
    }

    @Test func wideResNetNamesFollowJEM() {
        var rng = SeededGenerator(seed: 2)
        let wrn = WideResNet(depth: 10, widen: 1, normalization: .batch, using: &rng)
        let names = wrn.namedTensors.map(\.slot.name)
        #expect(names.prefix(4) == ["conv1.weight", "conv1.bias", "layer1.0.bn1.weight", "layer1.0.bn1.bias"])
        #expect(names.contains("layer2.0.shortcut.0.weight") && names.contains("layer3.0.conv2.weight"))
        #expect(names.contains("layer1.0.bn1.running_mean") && names.contains("bn1.num_batches_tracked"))
        #expect(!names.contains("layer1.0.shortcut.0.weight"))  // 16 → 16 channels, stride 1: identity shortcut
        #expect(names.suffix(2) == ["linear.weight", "linear.bias"])
        #expect(!wrn.namedParameters.map(\.name).contains("bn1.running_var"))
        let plain = WideResNet(depth: 16, widen: 2, using: &rng)
        #expect(!plain.namedTensors.map(\.slot.name).contains { $0.contains("bn") })
        #expect(plain(Tensor.zeros([2, 1, 28, 28])).shape == [2, 10])
    }

    @Test func initializationMatchesPyTorchBounds() {
        var rng = SeededGenerator(seed: 3)
        let conv = Conv2D(inputChannels: 64, outputChannels: 128, kernelSize: 3, using: &rng)
        let bound = 1 / Float(64 * 9).squareRoot()
        let w = conv.weight.scalars
        #expect(w.allSatisfy { abs($0) <= bound } && w.map(abs).max()! > 0.95 * bound)
        let variance = w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)
        #expect(abs(variance - Double(bound * bound) / 3) < 0.05 * Double(bound * bound) / 3)
    }

    /// PyTorch reads a transposed convolution's fan-in off the weight's second dimension
    /// (out·k²), and names its tensors weight [in, out, k, k] and bias [out].
    @Test func transposedConvolutionFollowsPyTorch() {
        var rng = SeededGenerator(seed: 4)
        let layer = ConvTranspose2D(
            inputChannels: 32, outputChannels: 16, kernelSize: 4, stride: 2, padding: 1, using: &rng)
        #expect(layer.weight.shape == [32, 16, 4, 4] && layer.bias?.shape == [16])
        let bound = 1 / Float(16 * 16).squareRoot()
        #expect(
            layer.weight.scalars.allSatisfy { abs($0) <= bound } && layer.weight.scalars.map(abs).max()! > 0.95 * bound)
        var names: [String] = []
        _ = layer.mapNamedTensors(prefix: "0") { slot, tensor in
            names.append(slot.name)
            return tensor
        }
        #expect(names == ["0.weight", "0.bias"])
        let y = layer(Tensor(repeating: 0.5, shape: [2, 32, 7, 7]), context: ForwardContext.inference())
        #expect(y.shape == [2, 16, 14, 14])
    }

    @Test func linearAndSequentialCompute() {
        let linear = Linear(weight: Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]), bias: Tensor([10, 20], shape: [2]))
        #expect(linear(Tensor([1, 0, -1], shape: [1, 3])).scalars == [8, 18])
        var rng = SeededGenerator(seed: 4)
        let cnn = StandardModels.cnnS(using: &rng)
        let x = Tensor(randomUniform: [3, 1, 28, 28], lower: -1, upper: 1, using: &rng)
        // The fused path equals running the layers one by one.
        var h = x
        for (i, layer) in cnn.layers.enumerated() { h = layer(h, context: ForwardContext.inference().child(String(i))) }
        let fused = cnn(x)
        #expect(fused.shape == [3, 10])
        #expect(zip(fused.scalars, h.scalars).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func normalizationsStandardize() {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor(randomNormal: [4, 8, 5, 5], mean: 3, standardDeviation: 2, using: &rng)
        for layer in [GroupNorm(groups: 2, channels: 8), GroupNorm(groups: 1, channels: 8)] {
            let y = layer(x).reshaped(to: [4, layer.groups, -1])
            let mean = y.mean(alongAxes: [2]).scalars
            let variance = (y - y.mean(alongAxes: [2])).squared().mean(alongAxes: [2]).scalars
            #expect(mean.allSatisfy { abs($0) < 1e-4 } && variance.allSatisfy { abs($0 - 1) < 1e-3 })
        }
        let v = LayerNorm(features: 5)(Tensor([1, 2, 3, 4, 5], shape: [1, 5])).scalars
        #expect(abs(v[2]) < 1e-6 && abs(v[4] - 1.4142) < 1e-3)
    }

    @Test func batchNormTrainsAndEvaluatesLikePyTorch() {
        // Hand-computed: one channel, values 1, 2, 3, 4 → mean 2.5, biased var 1.25, unbiased 5/3.
        let bn = BatchNorm(channels: 1, momentum: 0.1)
        let x = Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
        let state = ForwardState(isTraining: true)
        let y = bn(x, context: ForwardContext(state: state, path: "bn"))
        #expect(abs(y.scalars[0] - (1 - 2.5) / (1.25 + 1e-5).squareRoot()) < 1e-5)
        let updated = Sequential([bn]).applyingBufferUpdates(from: ForwardState(isTraining: true))
        #expect(updated.namedTensors.count == 5)
        let trained = bn.applyingBufferUpdates(
            from: {
                let s = ForwardState(isTraining: true)
                _ = bn(x, context: ForwardContext(state: s))
                return s
            }())
        #expect(abs(trained.runningMean.scalar - 0.25) < 1e-6)
        #expect(abs(trained.runningVariance.scalar - (0.9 + 0.1 * 5 / 3)) < 1e-6)
        #expect(trained.batchesTracked.scalar == 1)
        // Evaluation uses the running statistics.
        let evaluated = trained(x).scalars[0]
        #expect(abs(evaluated - (1 - 0.25) / (trained.runningVariance.scalar + 1e-5).squareRoot()) < 1e-5)
    }

    @Test func dropoutInTrainingOnly() {
        let x = Tensor.ones([10_000])
        let dropout = Dropout(probability: 0.25)
        #expect(dropout(x).scalars.allSatisfy { $0 == 1 })
        let y = dropout(
            x, context: ForwardContext(state: ForwardState(isTraining: true, generator: SeededGenerator(seed: 6))))
        let zeros = y.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.25) < 0.02)
        #expect(y.scalars.filter { $0 != 0 }.allSatisfy { abs($0 - 4.0 / 3) < 1e-6 })
    }

    @Test func stateDictsLoadAndRefuseMismatches() throws {
        var rng = SeededGenerator(seed: 7)
        let a = StandardModels.mlp(using: &rng)
        let b = StandardModels.mlp(using: &rng)
        let values = Dictionary(uniqueKeysWithValues: a.namedTensors.map { ($0.slot.name, $0.tensor) })
        let loaded = try b.loading(values)
        #expect(loaded.namedTensors.map(\.tensor.scalars) == a.namedTensors.map(\.tensor.scalars))
        var missing = values
        missing["3.bias"] = nil
        #expect(throws: ModuleError.missingTensor("3.bias")) { try b.loading(missing) }
        var wrong = values
        wrong["5.bias"] = Tensor.zeros([11])
        #expect(throws: ModuleError.shapeMismatch(name: "5.bias", expected: [10], found: [11])) { try b.loading(wrong) }
        var extra = values
        extra["7.weight"] = Tensor.zeros([1])
        #expect(throws: ModuleError.unexpectedTensors(["7.weight"])) { try b.loading(extra) }
    }

    @Test func gradientsComeBackShapedLikeTheModel() {
        var rng = SeededGenerator(seed: 8)
        let model = AnyLayer(StandardModels.mlp(inputSize: 6, hidden: 4, classes: 3, using: &rng))
        let x = Tensor(randomNormal: [5, 6], using: &rng)
        let g = gradient(at: model) { m in crossEntropy(logits: m(x), labels: [0, 1, 2, 0, 1]) }
        #expect(g.namedParameters.map(\.name) == model.namedParameters.map(\.name))
        #expect(g.namedParameters.map(\.tensor.shape) == model.namedParameters.map(\.tensor.shape))
        // Finite-difference check of one weight.
        let h: Float = 1e-2
        func loss(_ m: AnyLayer) -> Double { Double(crossEntropy(logits: m(x), labels: [0, 1, 2, 0, 1]).scalar) }
        let params = model.tensors
        for k in [0, 2, 4] {
            var plus = params
            var minus = params
            plus[k].withUnsafeMutableBufferPointer { $0[1] += h }
            minus[k].withUnsafeMutableBufferPointer { $0[1] -= h }
            let fd =
                (loss(model.replacingTensors(with: plus)) - loss(model.replacingTensors(with: minus))) / Double(2 * h)
            #expect(abs(Double(g.tensors[k].scalars[1]) - fd) < 2e-3 + 0.02 * abs(fd))
        }
    }

    @Test func modelSpecificationsParse() {
        #expect(ModelSpecification(name: "cnn-s")?.architecture == .cnnS)
        #expect(ModelSpecification(name: "wrn-28-10")?.architecture == .wideResNet(depth: 28, widen: 10))
        #expect(ModelSpecification(name: "wrn-15-2") == nil && ModelSpecification(name: "resnet") == nil)
        var rng = SeededGenerator(seed: 9)
        let model = ModelSpecification(name: "mlp")!.make(channels: 3, height: 8, width: 8, classes: 4, using: &rng)
        #expect(model(Tensor.zeros([2, 3, 8, 8])).shape == [2, 4])
    }
}
