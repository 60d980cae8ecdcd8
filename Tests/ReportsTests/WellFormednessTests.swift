import Foundation
import Testing

@testable import Reports

/// Every report must parse as XML, so it is XHTML-compatible and tools can read it.
@Suite("Well-formed output")
struct WellFormednessTests {
    static let cases: [(String, [ReportRun])] = [
        ("no runs", []),
        ("one bare run", [Fixtures.bare()]),
        ("two bare runs", [Fixtures.bare("a"), Fixtures.bare("b")]),
        (
            "non-finite metrics",
            [
                ReportRun(
                    id: "n", name: "nan", status: "FAILED", statusReason: "loss is NaN",
                    startTime: Fixtures.start,
                    latestMetrics: ["loss": .nan, "grad": .infinity, "margin": -.infinity],
                    metricHistory: ["loss": Fixtures.history([1, .nan, .infinity, -.infinity, 0.5])],
                    evaluations: [ReportEvaluation(dataset: "d", score: "s", metric: "m", value: .nan)])
            ]
        ),
        (
            "empty histories",
            [
                ReportRun(
                    id: "e", name: "empty", status: "RUNNING", startTime: Fixtures.start,
                    metricHistory: ["loss": [], "acc": []]),
                Fixtures.bare(),
            ]
        ),
        (
            "images",
            [
                ReportRun(
                    id: "i", name: "images", status: "FINISHED", startTime: Fixtures.start,
                    images: [
                        ReportImage(
                            title: "samples <epoch 3> & more",
                            pngData: TestPNG.greyscale(width: 2, height: 1, pixels: [0, 255]))
                    ])
            ]
        ),
        ("realistic pair", Fixtures.realisticPair()),
    ]

    @Test(arguments: cases.map(\.0))
    func parsesAsXML(name: String) throws {
        let runs = try #require(Self.cases.first { $0.0 == name }).1
        let document = try parseXML(Fixtures.render(runs))
        #expect(document.elements.first?.name == "html")
        #expect(document.elements.first?.attributes["xmlns"] == "http://www.w3.org/1999/xhtml")
        #expect(document.all("meta").first?.attributes["charset"] == "utf-8")
    }

    @Test func theDoctypeComesFirst() {
        #expect(Fixtures.render([Fixtures.bare()]).hasPrefix("<!DOCTYPE html>\n"))
    }

    /// The report must open from a file anywhere: no scripts, nothing fetched.
    @Test func itIsSelfContained() throws {
        let html = Fixtures.render(Fixtures.realisticPair())
        let document = try parseXML(html)
        #expect(document.all("script").isEmpty)
        #expect(document.all("link").isEmpty)
        for image in document.all("img") {
            #expect(image.attributes["src"]?.hasPrefix("data:image/png;base64,") == true)
        }
        let namespaces = ["http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"]
        let urls = html.matches(of: /https?:\/\/[^"\s<]*/).map { String($0.output) }
        #expect(urls.allSatisfy(namespaces.contains), "external URLs: \(urls)")
    }

    @Test func aHostileNameAppearsOnlyEscaped() throws {
        let name = #"<script>alert("x")</script> & 'y'"#
        var run = Fixtures.bare(name)
        run.id = name
        run.statusReason = name
        run.config = [name: name]
        run.tags = [name: name]
        run.latestMetrics = [name: 1]
        run.metricHistory = [name: Fixtures.history([1, 2])]
        run.evaluations = [ReportEvaluation(dataset: name, score: name, metric: name, value: 1)]
        run.images = [ReportImage(title: name, pngData: Data([1]))]
        let html = Fixtures.render([run, Fixtures.bare()], title: name)

        #expect(!html.contains(name))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"))
        let document = try parseXML(html)
        #expect(document.all("script").isEmpty)
        // Escaped, not dropped: the parser gives the name back intact.
        #expect(document.all("title").first?.text == name)
        #expect(document.all("img").first?.attributes["alt"] == name)
        #expect(document.text.contains(name))
    }
}
