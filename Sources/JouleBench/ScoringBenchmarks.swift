import Datasets
import Tensors
import Uncertainty

/// The cost of the OOD scores that are not a forward pass (issue 24): the complexity score's PNG length of
/// 1,000 images, to set beside `cnn-s.forward.b1000` from the same run.
public enum ScoringBenchmarks {
    /// `ood.complexity.b1000`: `InputComplexity.bits` over the first 1,000 Fashion-MNIST test images (uniform
    /// noise, noted, when the data set is not installed).
    public static func all() -> [Benchmark] {
        let data = try? FashionMNIST.load(split: .test)
        let note = data == nil ? "uniform noise: Fashion-MNIST not found" : "Fashion-MNIST test images 0..<1000"
        return [
            Benchmark(name: "ood.complexity.b1000", flops: nil, note: note) {
                let images =
                    data.map { $0.batch(Array(0..<1000)).images } ?? EngineBenchmarks.batch(1000)
                return { _ = InputComplexity.bits(images) }
            }
        ]
    }
}
