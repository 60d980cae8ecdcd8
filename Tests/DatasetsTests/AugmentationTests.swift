import Tensors
import Testing

@testable import Datasets

/// Augmentations keep shapes, are fixed by the generator's seed, and do what they say.
@Suite struct AugmentationTests {
    /// Eight 2-channel 5×6 images with distinct, non-zero values.
    let images = Tensor(shape: [8, 2, 5, 6]) { Float($0 + 1) }

    @Test func noiseIsSeededAndHasTheRequestedSpread() {
        var g1 = SeededGenerator(seed: 3)
        var g2 = SeededGenerator(seed: 3)
        var g3 = SeededGenerator(seed: 4)
        let a = Augmentation.addingGaussianNoise(images, standardDeviation: 0.5, using: &g1)
        #expect(a.shape == images.shape)
        #expect(a.scalars == Augmentation.addingGaussianNoise(images, standardDeviation: 0.5, using: &g2).scalars)
        #expect(a.scalars != Augmentation.addingGaussianNoise(images, standardDeviation: 0.5, using: &g3).scalars)

        var g = SeededGenerator(seed: 0)
        let zeros = Tensor.zeros([100, 1, 10, 10])
        let noise = Augmentation.addingGaussianNoise(zeros, standardDeviation: 0.5, using: &g).scalars
        let mean = noise.reduce(0, +) / Float(noise.count)
        let sd = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(noise.count)).squareRoot()
        #expect(abs(mean) < 0.02 && abs(sd - 0.5) < 0.02, "mean \(mean), sd \(sd)")
    }

    @Test func mutationReplacesTheRequestedShareWithByteValues() {
        var g = SeededGenerator(seed: 5)
        let zeros = Tensor.zeros([20, 1, 50, 50])
        #expect(Augmentation.mutating(zeros, rate: 0, using: &g).scalars == zeros.scalars)
        let mutated = Augmentation.mutating(zeros, rate: 0.3, using: &g).scalars
        // A replaced value is one of the 256 byte values mapped to [−1, 1]; 0 itself is not one of them.
        let changed = mutated.filter { $0 != 0 }
        #expect(
            changed.allSatisfy { v in
                let b = (v + 1) * 127.5
                return abs(b - b.rounded()) < 1e-3 && b >= 0 && b <= 255
            })
        let share = Double(changed.count) / Double(mutated.count)
        #expect(abs(share - 0.3) < 0.01, "share \(share)")
        var g1 = SeededGenerator(seed: 8)
        var g2 = SeededGenerator(seed: 8)
        #expect(
            Augmentation.mutating(images, rate: 0.5, using: &g1).scalars
                == Augmentation.mutating(images, rate: 0.5, using: &g2).scalars)
    }

    @Test func cropIsSeededAndAShiftOfEachImage() {
        var g1 = SeededGenerator(seed: 11)
        var g2 = SeededGenerator(seed: 11)
        let cropped = Augmentation.randomCrop(images, padding: 2, using: &g1)
        #expect(cropped.shape == images.shape)
        #expect(cropped.scalars == Augmentation.randomCrop(images, padding: 2, using: &g2).scalars)

        // Each output image must equal the input shifted by one (dy, dx) in −2…2 with zero
        // fill, the same shift for both channels; and the shifts must vary across images.
        let input = images.scalars
        let output = cropped.scalars
        var shifts = Set<[Int]>()
        for b in 0..<8 {
            let matches = (-2...2).flatMap { dy in (-2...2).map { dx in [dy, dx] } }.filter { shift in
                (0..<2).allSatisfy { c in
                    (0..<5).allSatisfy { y in
                        (0..<6).allSatisfy { x in
                            let sy = y + shift[0]
                            let sx = x + shift[1]
                            let inside = (0..<5).contains(sy) && (0..<6).contains(sx)
                            let expected = inside ? input[((b * 2 + c) * 5 + sy) * 6 + sx] : 0
                            return output[((b * 2 + c) * 5 + y) * 6 + x] == expected
                        }
                    }
                }
            }
            #expect(matches.count == 1, "image \(b) is not one shift of its input")
            if let shift = matches.first { shifts.insert(shift) }
        }
        #expect(shifts.count > 1)
    }

    @Test func zeroPaddingCropIsTheIdentity() {
        var g = SeededGenerator(seed: 0)
        #expect(Augmentation.randomCrop(images, padding: 0, using: &g).scalars == images.scalars)
    }

    @Test func flipMirrorsAboutHalfTheImages() {
        var g1 = SeededGenerator(seed: 21)
        var g2 = SeededGenerator(seed: 21)
        let flipped = Augmentation.randomHorizontalFlip(images, using: &g1)
        #expect(flipped.shape == images.shape)
        #expect(flipped.scalars == Augmentation.randomHorizontalFlip(images, using: &g2).scalars)

        let input = images.scalars
        let output = flipped.scalars
        var mirrored = 0
        var kept = 0
        for b in 0..<8 {
            let range = b * 60..<(b + 1) * 60
            let original = Array(input[range])
            let result = Array(output[range])
            let mirror = stride(from: 0, to: 60, by: 6).flatMap { Array(original[$0..<$0 + 6].reversed()) }
            if result == mirror { mirrored += 1 } else if result == original { kept += 1 }
        }
        #expect(mirrored + kept == 8)
        #expect(mirrored > 0 && kept > 0)

        // The same coins flip the result back.
        var g3 = SeededGenerator(seed: 21)
        #expect(Augmentation.randomHorizontalFlip(flipped, using: &g3).scalars == images.scalars)

        // Over many images, about half are mirrored.
        var g = SeededGenerator(seed: 5)
        let many = Tensor(shape: [1000, 1, 1, 2]) { Float($0 % 2) }
        let turned = Augmentation.randomHorizontalFlip(many, using: &g).scalars
        let count = stride(from: 0, to: 2000, by: 2).filter { turned[$0] == 1 }.count
        #expect(abs(count - 500) < 60, "\(count) of 1000 mirrored")
    }
}
