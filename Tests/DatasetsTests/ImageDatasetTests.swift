import Foundation
import Tensors
import Testing

@testable import Datasets

/// Batches gather only the requested images and scale bytes to [−1, 1]; subsets keep
/// pixels, labels and sources together.
@Suite struct ImageDatasetTests {
    /// Four 2-channel 2×3 images; image i's bytes are 12i, 12i + 1, …
    let dataset = ImageDataset(
        name: "tiny", pixels: ramp(48), labels: [2, 0, 1, 2], channels: 2, height: 2,
        width: 3, classNames: ["a", "b", "c"], sources: ["p0", "p1", "p2", "p3"])

    @Test func batchGathersAndScales() {
        let (images, labels) = dataset.batch([3, 1, 3])
        #expect(images.shape == [3, 2, 2, 3])
        #expect(labels == [2, 0, 2])
        let expected = ([36, 12, 36] as [Int]).flatMap { start in (start..<start + 12).map { Float($0) / 127.5 - 1 } }
        #expect(images.scalars == expected)
    }

    @Test func scalingMapsByteExtremesToMinusOneAndOne() {
        let extremes = ImageDataset(
            name: "x", pixels: [0, 255, 51, 204], labels: [0], channels: 1, height: 2, width: 2,
            classNames: ["only"])
        let values = extremes.batch([0]).images.scalars
        #expect(values[0] == -1 && values[1] == 1)
        #expect(abs(values[2] + 0.6) < 1e-6 && abs(values[3] - 0.6) < 1e-6)
    }

    @Test func subsetKeepsPartsTogether() {
        let part = dataset.subset([2, 0])
        #expect(part.count == 2 && part.labels == [1, 2] && part.sources == ["p2", "p0"])
        #expect(part.pixels == ramp(12, from: 24) + ramp(12))
        #expect(part.classNames == dataset.classNames && part.imageSize == 12)
        #expect(dataset.classCounts == [1, 1, 2])
        #expect(part.batch([0]).images.scalars == dataset.batch([2]).images.scalars)
    }

    @Test func outOfRangeIndexStopsWithItsValue() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let small = ImageDataset(
                name: "small", pixels: [1, 2], labels: [0, 0], channels: 1, height: 1, width: 1,
                classNames: ["a"])
            _ = small.batch([0, 7])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("batch") && message.contains("index 7") && message.contains("0..<2"))
        }
    }
}
