import Foundation
import TestSupport

@testable import Reports

/// Runs for the tests: small hand-made ones and a realistic pair.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_795_979_700)  // 2026-11-29T19:15:00Z
    static let generatedAt = Date(timeIntervalSince1970: 1_795_990_000)

    /// A run with nothing but the required fields.
    static func bare(_ name: String = "bare") -> ReportRun {
        ReportRun(id: "id-\(name)", name: name, status: "FINISHED", startTime: start)
    }

    /// Points at steps 0, 1, 2, … with the given values.
    static func history(_ values: [Double], stepSize: Int = 1) -> [MetricPoint] {
        values.enumerated().map { MetricPoint(step: $0 * stepSize, value: $1) }
    }

    /// The report of `runs` with the fixed title and time.
    static func render(_ runs: [ReportRun], title: String = "Test report") -> String {
        HTMLReport.render(runs, title: title, generatedAt: generatedAt)
    }

    /// Two realistic runs: a noisy decreasing training loss over 2,000 steps, validation
    /// accuracy per epoch, a learning-rate schedule, evaluations, images, and a failed run
    /// whose loss went to NaN.
    static func realisticPair() -> [ReportRun] {
        var generator = SplitMix64(seed: 7)
        func curve(steps: Int, scale: Double, noise: Double) -> [MetricPoint] {
            (0..<steps).map { step in
                let t = Double(step) / Double(steps)
                let value = scale * (0.25 + 2.0 * exp(-4 * t)) * (1 + noise * (generator.nextUnit() - 0.5))
                return MetricPoint(step: step, value: value)
            }
        }
        func epochs(_ values: [Double], stepsPerEpoch: Int) -> [MetricPoint] {
            values.enumerated().map { MetricPoint(step: ($0 + 1) * stepsPerEpoch, value: $1) }
        }
        let config = [
            "model": "cnn-s", "optimizer.name": "adam", "optimizer.lr": "0.001",
            "batch_size": "64", "epochs": "10", "schedule": "cosine", "seed": "1",
        ]
        var failedLoss = Array(curve(steps: 1400, scale: 1.1, noise: 0.5).prefix(1200))
        failedLoss += (1200..<1210).map { MetricPoint(step: $0, value: .nan) }
        let first = ReportRun(
            id: "20261129-191500-cnn-s-7f3a", name: "cnn-s adam lr=1e-3", status: "FINISHED",
            experiment: "fashion-baselines", startTime: start, endTime: start + 3723, seed: 1,
            objective: "ce", model: "cnn-s", dataset: "fashion-mnist", codeVersion: "ee7a719",
            config: config, params: ["host": "gpu-01"], tags: ["owner": "ana", "purpose": "baseline"],
            latestMetrics: ["train.loss": 0.2817, "val.accuracy": 0.9132, "val.loss": 0.2544],
            metricHistory: [
                "train.loss": curve(steps: 2000, scale: 1, noise: 0.6),
                "val.accuracy": epochs(
                    [0.81, 0.85, 0.87, 0.88, 0.895, 0.90, 0.905, 0.909, 0.911, 0.9132],
                    stepsPerEpoch: 200),
                "train.lr": (0..<2000).map {
                    MetricPoint(step: $0, value: 0.0005 * (1 + cos(Double.pi * Double($0) / 2000)))
                },
            ],
            evaluations: [
                ReportEvaluation(
                    dataset: "fashion-mnist-test", score: "max-softmax", metric: "accuracy", value: 0.9087),
                ReportEvaluation(dataset: "mnist", score: "max-softmax", metric: "auroc", value: 0.8123),
                ReportEvaluation(dataset: "mnist", score: "energy", metric: "auroc", value: 0.8541),
            ],
            images: [ReportImage(title: "samples after epoch 10", pngData: TestPNG.noiseGrid(seed: 1))])
        let second = ReportRun(
            id: "20261129-203000-cnn-s-91bc", name: "cnn-s sgd lr=0.1", status: "FAILED",
            statusReason: "loss became NaN at step 1200", experiment: "fashion-baselines",
            startTime: start + 4500, endTime: start + 4500 + 1534, seed: 2,
            objective: "ce", model: "cnn-s", dataset: "fashion-mnist", codeVersion: "ee7a719",
            config: config.merging([
                "optimizer.name": "sgd", "optimizer.lr": "0.1", "seed": "2",
                "optimizer.momentum": "0.9",
            ]) { $1 },
            tags: ["owner": "ana"],
            latestMetrics: ["train.loss": .nan, "val.accuracy": 0.8712, "grad.norm": .infinity],
            metricHistory: [
                "train.loss": failedLoss,
                "val.accuracy": epochs([0.78, 0.83, 0.851, 0.866, 0.8712, 0.8712], stepsPerEpoch: 200),
            ],
            evaluations: [
                ReportEvaluation(dataset: "fashion-mnist-test", score: "max-softmax", metric: "accuracy", value: 0.8655)
            ])
        return [first, second]
    }
}
