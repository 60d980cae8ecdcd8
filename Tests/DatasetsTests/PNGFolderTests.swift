import Foundation
import Testing

@testable import Datasets

/// PNG folders: writer/reader round trips in grey and RGB, channel choice, and an error
/// naming the file or folder for every bad layout.
@Suite struct PNGFolderTests {
    /// A 4-wide, 3-high grey image whose bytes start at `start`.
    func grey(_ start: Int) -> [UInt8] { ramp(12, from: start) }

    /// A 4-wide, 3-high RGB image (interleaved) whose bytes start at `start`.
    func rgb(_ start: Int) -> [UInt8] { ramp(36, from: start) }

    /// Interleaved H×W×3 to planar 3×H×W.
    func planar(_ interleaved: [UInt8]) -> [UInt8] {
        (0..<3).flatMap { c in stride(from: c, to: interleaved.count, by: 3).map { interleaved[$0] } }
    }

    func writePNG(
        _ pixels: [UInt8], channels: Int, width: Int = 4, height: Int = 3,
        named name: String, in directory: URL
    ) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try PNGWriter.write(pixels, width: width, height: height, channels: channels, to: url)
    }

    @Test func greyFolderRoundTripsWithSortedClasses() throws {
        try withTemporaryDirectory { directory in
            let root = directory.appendingPathComponent("pets")
            try writePNG(grey(100), channels: 1, named: "dog/b.png", in: root)
            try writePNG(grey(10), channels: 1, named: "cat/z.png", in: root)
            try writePNG(grey(200), channels: 1, named: "dog/a.png", in: root)
            try writeFile(Array("notes".utf8), named: "README.txt", in: root)  // top-level files are ignored
            try writeFile([0, 1, 2], named: "cat/.DS_Store", in: root)  // hidden files are skipped
            let dataset = try PNGFolder.load(directory: root)
            #expect(dataset.name == "pets" && dataset.classNames == ["cat", "dog"])
            #expect(dataset.labels == [0, 1, 1])
            #expect(dataset.channels == 1 && dataset.height == 3 && dataset.width == 4)
            #expect(dataset.pixels == grey(10) + grey(200) + grey(100))
            #expect(dataset.sources.map { URL(fileURLWithPath: $0).lastPathComponent } == ["z.png", "a.png", "b.png"])
        }
    }

    @Test func rgbImagesArePlanar() throws {
        try withTemporaryDirectory { directory in
            try writePNG(rgb(0), channels: 3, named: "red/one.png", in: directory)
            try writePNG(rgb(50), channels: 3, named: "blue/two.png", in: directory)
            let dataset = try PNGFolder.load(directory: directory)
            #expect(dataset.channels == 3 && dataset.classNames == ["blue", "red"])
            #expect(dataset.pixels == planar(rgb(50)) + planar(rgb(0)))
        }
    }

    @Test func channelsFollowTheInputsUnlessForced() throws {
        try withTemporaryDirectory { directory in
            try writePNG(grey(30), channels: 1, named: "a/grey.png", in: directory)
            let levels: [UInt8] = (0..<12).map { UInt8($0 * 20) }
            let colour: [UInt8] = levels.flatMap { [$0, $0, $0] }  // grey values stored as RGB
            try writePNG(colour, channels: 3, named: "b/colour.png", in: directory)

            // Mixed, a set is refused unless told how to read it: converting silently would
            // change what the model is.
            let error = try #require(throws: DatasetError.self) { try PNGFolder.load(directory: directory) }
            #expect(
                error.description.contains(
                    "mixes colour and grey images (1 colour, e.g. \(directory.path)/b/colour.png; "
                        + "1 grey, e.g. \(directory.path)/a/grey.png)"))
            #expect(error.path == directory.path)

            let mixed = try PNGFolder.load(directory: directory, grayscale: false)
            #expect(mixed.channels == 3)
            #expect(Array(mixed.pixels[0..<36]) == grey(30) + grey(30) + grey(30))  // grey replicated

            let forcedGrey = try PNGFolder.load(directory: directory, grayscale: true)
            #expect(forcedGrey.channels == 1)
            #expect(forcedGrey.pixels == grey(30) + levels)
        }
    }

    @Test func forcedRGBOnGreyInputsReplicatesChannels() throws {
        try withTemporaryDirectory { directory in
            try writePNG(grey(5), channels: 1, named: "only/x.png", in: directory)
            let dataset = try PNGFolder.load(directory: directory, grayscale: false)
            #expect(dataset.channels == 3 && dataset.pixels == grey(5) + grey(5) + grey(5))
        }
    }

    @Test func sizeMismatchNamesTheFile() throws {
        try withTemporaryDirectory { directory in
            try writePNG(grey(0), channels: 1, named: "a/first.png", in: directory)
            try writePNG(ramp(20), channels: 1, width: 5, height: 4, named: "b/odd.png", in: directory)
            let odd = directory.appendingPathComponent("b/odd.png")
            expectDatasetError(naming: odd, "image is 5×4 but first.png is 4×3") {
                try PNGFolder.load(directory: directory)
            }
        }
    }

    @Test func emptyClassFolderIsNamed() throws {
        try withTemporaryDirectory { directory in
            try writePNG(grey(0), channels: 1, named: "full/x.png", in: directory)
            let empty = directory.appendingPathComponent("hollow")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            expectDatasetError(naming: empty, "has no PNG files") { try PNGFolder.load(directory: directory) }
        }
    }

    @Test func nonPNGAndTruncatedFilesAreNamed() throws {
        try withTemporaryDirectory { directory in
            try writePNG(grey(0), channels: 1, named: "a/good.png", in: directory)
            let text = try writeFile(Array("not an image".utf8), named: "a/notes.txt", in: directory)
            expectDatasetError(naming: text, "not a readable PNG") { try PNGFolder.load(directory: directory) }
            try FileManager.default.removeItem(at: text)

            let big = (0..<(64 * 64)).map { UInt8(($0 * 37) % 251) }
            try writePNG(big, channels: 1, width: 64, height: 64, named: "b/whole.png", in: directory)
            let whole = try Data(contentsOf: directory.appendingPathComponent("b/whole.png"))
            try FileManager.default.removeItem(at: directory.appendingPathComponent("a"))
            let cut = try writeFile(Array(whole.prefix(whole.count / 2)), named: "b/cut.png", in: directory)
            expectDatasetError(naming: cut, "not a readable PNG") { try PNGFolder.load(directory: directory) }
        }
    }

    @Test func badLayoutsAreRefused() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("absent")
            expectDatasetError(naming: missing, "one subfolder of PNG images per class") {
                try PNGFolder.load(directory: missing)
            }

            let flat = directory.appendingPathComponent("flat")
            try writePNG(grey(0), channels: 1, named: "x.png", in: flat)
            expectDatasetError(naming: flat, "no class subfolders") { try PNGFolder.load(directory: flat) }

            let nested = directory.appendingPathComponent("nested")
            try writePNG(grey(0), channels: 1, named: "a/deeper/x.png", in: nested)
            expectDatasetError(naming: nested.appendingPathComponent("a/deeper"), "a folder inside 'a'") {
                try PNGFolder.load(directory: nested)
            }
        }
    }

    @Test func unlabeledFilesAndFoldersKeepTheirOrder() throws {
        try withTemporaryDirectory { directory in
            try writePNG(grey(1), channels: 1, named: "mine/b.png", in: directory)
            try writePNG(grey(2), channels: 1, named: "mine/a.png", in: directory)
            try writePNG(grey(3), channels: 1, named: "single.png", in: directory)
            let dataset = try PNGFolder.loadUnlabeled(paths: [
                directory.appendingPathComponent("single.png"),
                directory.appendingPathComponent("mine"),
            ])
            #expect(dataset.labels == [-1, -1, -1] && dataset.classNames.isEmpty && dataset.classCounts.isEmpty)
            #expect(dataset.pixels == grey(3) + grey(2) + grey(1))
            #expect(
                dataset.sources.map { URL(fileURLWithPath: $0).lastPathComponent } == ["single.png", "a.png", "b.png"])

            let absent = directory.appendingPathComponent("ghost.png")
            expectDatasetError(naming: absent, "not found") { try PNGFolder.loadUnlabeled(paths: [absent]) }
        }
    }

    @Test func writerRefusesAnUnwritablePath() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("no/such/folder/x.png")
            expectDatasetError(naming: url, "cannot write") {
                try PNGWriter.write(grey(0), width: 4, height: 3, channels: 1, to: url)
            }
        }
    }
}
