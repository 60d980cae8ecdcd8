import Foundation
import Testing

@testable import Reports

/// What the report adds to compare recipes: validation accuracy against wall time (one point
/// per epoch, at the run's time then), Brier scores and sample quality in the summary.
@Suite struct RecipeReportTests {
    @Test func eachValidationIsPlacedAtItsWallTime() {
        var run = DecisionPageTests.evaluated("20261207-1-aaaa")
        run.metricHistory["validation/accuracy"] = [
            MetricPoint(step: 860, value: 0.83), MetricPoint(step: 1720, value: 0.87),
            MetricPoint(step: 2580, value: 0.9),
        ]
        // A time logged at another step (a stray) has no partner and is left out; so is a
        // validation with no time.
        run.metricHistory["time/seconds"] = [
            MetricPoint(step: 860, value: 60), MetricPoint(step: 1000, value: 75), MetricPoint(step: 1720, value: 150),
        ]
        let points = TimeToAccuracyChart.points(run)
        #expect(points.map(\.x) == [1, 2.5] && points.map(\.y) == [0.83, 0.87])
    }

    @Test func theReportShowsEveryClassifierOnOneChartFirst() {
        let runs = [DecisionPageTests.evaluated("a-1-aaaa"), DecisionPageTests.evaluated("b-2-bbbb", objective: "jem")]
        let html = Fixtures.render(runs)
        let chart = try? #require(html.range(of: "<h3>Time to accuracy</h3>"))
        let loss = html.range(of: "<h3>train/loss</h3>")
        #expect(chart != nil && loss != nil && chart!.lowerBound < loss!.lowerBound)
        #expect(html.contains("wall time (minutes)"))
        // A run without the times has no chart.
        var bare = DecisionPageTests.evaluated("c-3-cccc")
        bare.metricHistory["time/seconds"] = nil
        #expect(!Fixtures.render([bare]).contains("Time to accuracy"))
    }

    @Test func theSummaryHasBrierAndSampleQuality() {
        var run = DecisionPageTests.evaluated("a-1-aaaa")
        let sample = { (metric: String, value: Double) in
            ReportEvaluation(
                dataset: "class-samples", score: "sample-quality", metric: metric, value: value, inCount: 10_000,
                measurement: 9, checkpoint: "best.safetensors", checkpointStep: 860)
        }
        run.evaluations += [
            ReportEvaluation(
                dataset: "test", score: "uncalibrated", metric: "brier", value: 0.1337, group: "in-distribution",
                inCount: 10_000, measurement: 4),
            sample("conditional_accuracy", 0.612), sample("frechet_distance", 41.5), sample("precision", 0.7),
            sample("recall", 0.2),
        ]
        let html = Fixtures.render([run, DecisionPageTests.evaluated("b-2-bbbb", objective: "jem")])
        let summary = html[html.range(of: "<section id=\"summary\">")!.lowerBound...]
        for text in ["Brier", "0.1337", "Conditional-sample accuracy", "0.612", "Fréchet distance of samples", "41.5"] {
            #expect(summary.contains(text), "summary lacks \(text)")
        }
    }
}
