import Foundation
import Testing

@testable import Datasets

/// Fashion-MNIST from small IDX files made here, the directory rules, and (when the Debian
/// package is installed) the real test and training splits.
@Suite struct FashionMNISTTests {
    /// Writes a split's two gzip IDX files: `count` images of 3×4 and their labels.
    func writeSplit(_ prefix: String, count: Int, labels: [UInt8], in directory: URL) throws {
        try writeFile(
            gzip(idxBytes(dimensions: [count, 3, 4], elements: ramp(count * 12))),
            named: "\(prefix)-images-idx3-ubyte.gz", in: directory)
        try writeFile(
            gzip(idxBytes(dimensions: [labels.count], elements: labels)),
            named: "\(prefix)-labels-idx1-ubyte.gz", in: directory)
    }

    @Test func loadsBothSplitsFromADirectory() throws {
        try withTemporaryDirectory { directory in
            try writeSplit("train", count: 5, labels: [9, 0, 3, 3, 1], in: directory)
            try writeSplit("t10k", count: 2, labels: [7, 2], in: directory)
            let train = try FashionMNIST.load(split: .train, directory: directory)
            #expect(train.name == "fashion-mnist-train")
            #expect(train.count == 5 && train.channels == 1 && train.height == 3 && train.width == 4)
            #expect(train.labels == [9, 0, 3, 3, 1])
            #expect(train.pixels == ramp(60))
            #expect(
                train.classNames.count == 10 && train.classNames[0] == "T-shirt/top"
                    && train.classNames[9] == "Ankle boot")
            let test = try FashionMNIST.load(split: .test, directory: directory)
            #expect(test.name == "fashion-mnist-test" && test.labels == [7, 2])
        }
    }

    @Test func countMismatchIsRefused() throws {
        try withTemporaryDirectory { directory in
            try writeSplit("t10k", count: 6, labels: [1, 2, 3, 4, 5], in: directory)
            let labels = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
            expectDatasetError(naming: labels, "5 labels for 6 images") {
                try FashionMNIST.load(split: .test, directory: directory)
            }
        }
    }

    @Test func labelOutOfRangeIsRefused() throws {
        try withTemporaryDirectory { directory in
            try writeSplit("t10k", count: 3, labels: [1, 10, 3], in: directory)
            let labels = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
            expectDatasetError(naming: labels, "label 10 of image 1 is outside 0…9") {
                try FashionMNIST.load(split: .test, directory: directory)
            }
        }
    }

    @Test func wrongRankIsRefused() throws {
        try withTemporaryDirectory { directory in
            try writeFile(
                gzip(idxBytes(dimensions: [2, 12], elements: ramp(24))), named: "t10k-images-idx3-ubyte.gz",
                in: directory)
            try writeFile(
                gzip(idxBytes(dimensions: [2], elements: [0, 1])), named: "t10k-labels-idx1-ubyte.gz", in: directory)
            let images = directory.appendingPathComponent("t10k-images-idx3-ubyte.gz")
            expectDatasetError(naming: images, "3 dimensions") {
                try FashionMNIST.load(split: .test, directory: directory)
            }
        }
    }

    @Test func missingDirectoryOrFileSaysHowToInstall() throws {
        try withTemporaryDirectory { directory in
            let absent = directory.appendingPathComponent("nowhere")
            expectDatasetError(naming: absent, "apt-get install dataset-fashion-mnist", "JOULE_FASHION_MNIST_DIR") {
                try FashionMNIST.load(split: .train, directory: absent)
            }
            try writeSplit("t10k", count: 1, labels: [0], in: directory)
            let trainImages = directory.appendingPathComponent("train-images-idx3-ubyte.gz")
            expectDatasetError(naming: trainImages, "dataset-fashion-mnist") {
                try FashionMNIST.load(split: .train, directory: directory)
            }
        }
    }

    @Test func directoryComesFromArgumentThenEnvironmentThenDefault() {
        let explicit = URL(fileURLWithPath: "/explicit", isDirectory: true)
        let environment = ["JOULE_FASHION_MNIST_DIR": "/from/env"]
        #expect(FashionMNIST.resolveDirectory(explicit: explicit, environment: environment).path == "/explicit")
        #expect(FashionMNIST.resolveDirectory(explicit: nil, environment: environment).path == "/from/env")
        #expect(
            FashionMNIST.resolveDirectory(explicit: nil, environment: ["JOULE_FASHION_MNIST_DIR": ""]).path
                == "/usr/share/datasets/fashion-mnist")
        #expect(FashionMNIST.resolveDirectory(explicit: nil, environment: [:]) == FashionMNIST.defaultDirectory)
    }
}

/// The files the Debian package `dataset-fashion-mnist` installs, when present.
let fashionMNISTInstalled = FileManager.default.fileExists(
    atPath: FashionMNIST.defaultDirectory.appendingPathComponent("t10k-images-idx3-ubyte.gz").path)

@Suite(
    .enabled(
        if: fashionMNISTInstalled,
        "skipped: /usr/share/datasets/fashion-mnist is absent (apt-get install dataset-fashion-mnist)"))
struct FashionMNISTInstalledTests {
    @Test func realTestSplitHasTenThousandBalancedImages() throws {
        let test = try FashionMNIST.load(split: .test, directory: FashionMNIST.defaultDirectory)
        #expect(test.count == 10_000)
        #expect(test.channels == 1 && test.height == 28 && test.width == 28)
        #expect(test.classCounts == Array(repeating: 1_000, count: 10))
        // Fashion-MNIST's published pixel mean is 0.2860 of full scale (72.9 of 255).
        let mean = Double(test.pixels.reduce(0) { $0 + Int($1) }) / Double(test.pixels.count)
        #expect(abs(mean - 72.9) < 1.5, "mean pixel \(mean)")
    }

    @Test func realTrainingSplitHasSixtyThousandBalancedImages() throws {
        let train = try FashionMNIST.load(split: .train, directory: FashionMNIST.defaultDirectory)
        #expect(train.count == 60_000 && train.height == 28 && train.width == 28)
        #expect(train.classCounts == Array(repeating: 6_000, count: 10))
    }
}
