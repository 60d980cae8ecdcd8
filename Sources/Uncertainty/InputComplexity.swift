import Datasets
import Foundation
import Tensors

/// An image's complexity as Serrà et al. (2020) measure it: the length in bits of the image
/// losslessly compressed, here as the PNG file libpng would write (`PNGLengthCounter`). Simple images (a constant, a
/// digit on black) compress to few bits, noise to many; a density model's log-likelihood
/// mostly tracks that, which is why it rates simple images as likely.
public enum InputComplexity {
    /// The weight w of `complexity` that gives its two terms equal spread on in-distribution data:
    /// σ(log p) / σ(L ln 2) (population standard deviations); 1, Serrà's, when either term does not vary.
    public static func balancingWeight(logDensity: [Double], bits: [Double]) -> Double {
        // `Standardisation` reports a spread that does not vary as 1; here that case keeps Serrà's weight.
        let (a, b) = (Standardisation.of(logDensity), Standardisation.of(bits.map { $0 * M_LN2 }))
        let varies = Set(logDensity.filter(\.isFinite)).count > 1 && Set(bits.filter(\.isFinite)).count > 1
        return varies ? a.deviation / b.deviation : 1
    }

    /// L(x) in bits for each image of `x` [N, C, H, W] (C 1 or 3), read back to bytes as x ↦ (x + 1) · 127.5
    /// rounded (the inverse of the datasets' byte mapping, exact for images read from files).
    public static func bits(_ x: Tensor) -> [Double] {
        precondition(x.rank == 4 && (x.shape[1] == 1 || x.shape[1] == 3), "InputComplexity: images \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let size = c * h * w
        guard n > 0 else { return [] }
        var result = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { p in
            result.withUnsafeMutableBufferPointer { out in
                let (input, output) = (SharedPointer(p.baseAddress!), SharedPointer(out.baseAddress!))
                // Images compress independently: one chunk per core, each with its own counter (zlib stream).
                Kernels.forEachChunk(of: n, minimumPerChunk: 8) { images in
                    let counter = PNGLengthCounter()
                    var bytes = [UInt8](repeating: 0, count: size)
                    for image in images {
                        // PNG interleaves channels per pixel; the tensor holds them as planes.
                        for channel in 0..<c {
                            for pixel in 0..<(h * w) {
                                let v = (input.base[image * size + channel * h * w + pixel] + 1) * 127.5
                                bytes[pixel * c + channel] = UInt8(min(max(v.rounded(), 0), 255))
                            }
                        }
                        let length = bytes.withUnsafeBufferPointer {
                            counter.encodedSize($0, width: w, height: h, channels: c)
                        }
                        output.base[image] = Double(8 * length)
                    }
                }
            }
        }
        return result
    }
}
