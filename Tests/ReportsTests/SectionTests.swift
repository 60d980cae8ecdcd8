import Foundation
import Testing

@testable import Reports

@Suite("Sections")
struct SectionTests {
    static func headings(_ runs: [ReportRun]) throws -> [String] {
        try parseXML(Fixtures.render(runs)).all("h2").map(\.text)
    }

    @Test func aBareRunHasOnlyTheSummaryAndItsDetails() throws {
        #expect(try Self.headings([Fixtures.bare()]) == ["Summary", "Run details"])
        #expect(try Self.headings([]) == [])
    }

    @Test func everySectionAppearsInOrderWhenThereIsData() throws {
        // What decides first (the failed run's warning, the summary, the curves); the long
        // material after it.
        #expect(
            try Self.headings(Fixtures.realisticPair())
                == [
                    "Warnings", "Summary", "Training curves", "Evaluations", "Configuration differences", "Images",
                    "Run details",
                ])
    }

    /// Empty collections, or histories with no points, leave no heading and no
    /// placeholder text behind.
    @Test func emptySectionsAreOmittedEntirely() throws {
        var run = Fixtures.bare()
        run.metricHistory = ["loss": []]
        let html = Fixtures.render([run, Fixtures.bare("other")])
        for word in ["Evaluations", "Images", "Training curves", "Configuration", "Latest metrics", "Tags", "Seed"] {
            #expect(!html.contains(word), "\(word) should not appear")
        }
        let visible = try #require(try parseXML(html).all("body").first).text.lowercased()
        for placeholder in ["no data", "none", "n/a", "empty", "no "] {
            #expect(!visible.contains(placeholder), "placeholder \(placeholder)")
        }
    }

    @Test func theHeaderGivesTitleTimeAndCount() throws {
        let document = try parseXML(Fixtures.render(Fixtures.realisticPair(), title: "Fashion baselines"))
        #expect(document.all("h1").map(\.text) == ["Fashion baselines"])
        #expect(document.all("title").first?.text == "Fashion baselines")
        let meta = try #require(document.all("p").first { $0.attributes["class"] == "meta" })
        #expect(meta.text == "Generated 2026-11-29T22:06:40Z · 2 runs")
    }

    @Test func latestMetricsFlagNonFiniteValuesAndMarkMissingOnes() throws {
        var a = Fixtures.bare("a")
        var b = Fixtures.bare("b")
        a.latestMetrics = ["loss": .nan, "grad": .infinity, "margin": -.infinity, "acc": 0.912345]
        b.latestMetrics = ["acc": 1_234_567]
        let document = try parseXML(try #require(RunDetailsSection.render([a, b])))
        let flagged = document.all("td").filter { $0.attributes["class"] == "num nonfinite" }.map(\.text)
        #expect(flagged == ["+Inf", "NaN", "\u{2212}Inf"])  // rows sorted: grad, loss, margin
        let numbers = document.all("td").filter { $0.attributes["class"] == "num" }.map(\.text)
        #expect(numbers.contains("0.9123") && numbers.contains("1.235e6"))
        #expect(document.all("td").filter { $0.attributes["class"] == "missing" }.count == 3)
        let rows = document.all("tr").map(\.text)
        #expect(rows.contains("acc0.91231.235e6"))
    }

    @Test func statusShowsItsReasonAndDurationItsUnits() throws {
        let document = try parseXML(Fixtures.render(Fixtures.realisticPair()))
        let rows = document.all("tr").map(\.text)
        #expect(rows.contains("StatusFINISHEDFAILEDloss became NaN at step 1200"))
        #expect(rows.contains("Duration1h 02m 03s25m 34s"))
        #expect(rows.contains("Tagsowner=anapurpose=baselineowner=ana"))
        #expect(document.all("span").contains { $0.attributes["class"] == "status status-failed" })
    }

    @Test func evaluationsHaveOneRowPerMeasureAndOneColumnPerRun() throws {
        let document = try parseXML(Fixtures.render(Fixtures.realisticPair()))
        let rows = document.all("tr").map(\.text)
        #expect(rows.contains("fashion-mnist-testmax-softmaxaccuracy0.90870.8655"))
        #expect(rows.contains("mnistenergyauroc0.8541\u{2014}"))
    }

    @Test func chartsHaveALegendAndNoteSkippedPoints() throws {
        let document = try parseXML(try #require(CurvesSection.render(Fixtures.realisticPair())))
        #expect(document.all("h3").map(\.text).prefix(3) == ["train.loss", "train.lr", "val.accuracy"])
        #expect(document.all("svg").count == 3)
        let notes = document.all("p").filter { $0.attributes["class"] == "note" }.map(\.text)
        #expect(notes == ["10 non-finite points skipped (cnn-s sgd lr=0.1: 10)"])
        let legends = document.all("ul").filter { $0.attributes["class"] == "legend" }.map(\.text)
        #expect(
            legends == [
                "cnn-s adam lr=1e-3cnn-s sgd lr=0.1", "cnn-s adam lr=1e-3",
                "cnn-s adam lr=1e-3cnn-s sgd lr=0.1",
            ])
    }

    @Test func imagesAreEmbeddedFigures() throws {
        let png = TestPNG.greyscale(width: 1, height: 1, pixels: [128])
        var run = Fixtures.bare()
        run.images = [ReportImage(title: "samples", pngData: png)]
        let document = try parseXML(Fixtures.render([run]))
        let image = try #require(document.all("img").first)
        #expect(image.attributes["src"] == "data:image/png;base64," + png.base64EncodedString())
        #expect(image.attributes["alt"] == "samples")
        #expect(document.all("figcaption").map(\.text) == ["samples"])
        #expect(document.all("figure").count == 1)
    }
}

/// Conformal set sizes and coverage get their own folded section, and stay out of the score histograms.
@Suite("Conformal section")
struct ConformalSectionTests {
    @Test func coverageAndSetSizesAreDrawnPerMethod() throws {
        var run = Fixtures.bare("sets")
        // Four test images: LAC sets of sizes 1, 1, 2, 0, holding the label three times.
        run.evaluationSamples = ReportEvaluationSamples(
            inDistribution: "test", confidences: [0.9, 0.8, 0.6, 0.4], correct: [true, true, false, false],
            scores: [
                "conformal:lac:size": ["test": [1, 1, 2, 0]], "conformal:lac:covered": ["test": [1, 1, 1, 0]],
                "log-px": ["test": [1, 2, 3, 4], "uniform": [0, 0, 1, 1]],
            ])
        let html = Fixtures.render([run])
        #expect(try SectionTests.headings([run]).contains("Conformal prediction sets"))
        #expect(html.contains("lac: coverage 0.75") && html.contains("mean size 1"))
        #expect(!html.contains("sets: conformal:lac:size"), "set sizes are not drawn as a score histogram")
        #expect(html.contains("sets: log-px"))
    }
}
