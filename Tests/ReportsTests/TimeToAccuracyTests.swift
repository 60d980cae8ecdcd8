import Foundation
import Testing

@testable import Reports

/// Validation accuracy against wall time: one point per epoch, at the run's time then.
@Suite struct TimeToAccuracyTests {
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
}
