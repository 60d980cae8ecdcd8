import Tensors

/// Augmentations of image batches [B, C, H, W], random per image and reproducible from the
/// generator passed in. They act on data, so their inputs must carry no derivative.
public enum Augmentation {
    /// The batch plus independent Gaussian noise of standard deviation `standardDeviation`
    /// on every element (JEM adds σ = 0.03 to its training images).
    public static func addingGaussianNoise(
        _ images: Tensor, standardDeviation: Float,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        precondition(standardDeviation >= 0, "addingGaussianNoise: standard deviation \(standardDeviation) is negative")
        precondition(
            !images.isRecorded, "addingGaussianNoise: the input carries a derivative; augmentations are for data")
        return images + Tensor(randomNormal: images.shape, standardDeviation: standardDeviation, using: &generator)
    }

    /// Ren et al.'s (2019) perturbation for background models: each value replaced, with probability `rate`, by
    /// one of the 256 byte values drawn uniformly (mapped to [−1, 1] as the datasets map bytes). A model trained on
    /// such inputs learns the population's background statistics, not its semantic content.
    public static func mutating(_ images: Tensor, rate: Float, using generator: inout some RandomNumberGenerator)
        -> Tensor
    {
        precondition(rate >= 0 && rate <= 1, "mutating: rate \(rate) outside [0, 1]")
        precondition(!images.isRecorded, "mutating: the input carries a derivative; augmentations are for data")
        guard rate > 0 else { return images }
        return images.withUnsafeBufferPointer { p in
            Tensor(shape: images.shape) { i in
                Float.random(in: 0..<1, using: &generator) < rate
                    ? Float(generator.nextIndex(below: 256)) / 127.5 - 1 : p[i]
            }
        }
    }

    /// Each image zero-padded by `padding` pixels on every side, then cropped back to H×W at
    /// an offset drawn uniformly per image (the CIFAR "pad 4, random crop" augmentation).
    ///
    /// Padding is with 0, which is mid-grey for images scaled to [−1, 1].
    public static func randomCrop(
        _ images: Tensor, padding: Int,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        let (batch, channels, height, width) = batchShape(images, in: "randomCrop")
        precondition(padding >= 0, "randomCrop: padding \(padding) is negative")
        var out = Tensor.zeros(images.shape)
        let plane = height * width
        let span = 2 * padding + 1
        images.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                for b in 0..<batch {
                    // The crop's corner in padded coordinates, as a shift of the original image.
                    let dy = generator.nextIndex(below: span) - padding
                    let dx = generator.nextIndex(below: span) - padding
                    let rows = max(0, -dy)..<min(height, height - dy)
                    let columns = max(0, -dx)..<min(width, width - dx)
                    guard !rows.isEmpty, !columns.isEmpty else { continue }  // the crop is all padding
                    for c in 0..<channels {
                        let base = (b * channels + c) * plane
                        for y in rows {
                            let to = base + y * width
                            let from = base + (y + dy) * width + dx
                            for x in columns { output[to + x] = input[from + x] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Each image mirrored left–right with probability ½, independently.
    public static func randomHorizontalFlip(
        _ images: Tensor,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        let (batch, channels, height, width) = batchShape(images, in: "randomHorizontalFlip")
        var out = images
        let size = channels * height * width
        images.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                for b in 0..<batch where generator.nextBool() {
                    for row in stride(from: b * size, to: (b + 1) * size, by: width) {
                        for x in 0..<width { output[row + x] = input[row + width - 1 - x] }
                    }
                }
            }
        }
        return out
    }

    /// The four extents of an image batch, stopping with a message for anything else.
    private static func batchShape(_ images: Tensor, in operation: String) -> (Int, Int, Int, Int) {
        precondition(images.rank == 4, "\(operation): expected images [B, C, H, W], got shape \(images.shape)")
        precondition(!images.isRecorded, "\(operation): the input carries a derivative; augmentations are for data")
        return (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    }
}
