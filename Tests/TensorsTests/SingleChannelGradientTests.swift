import CJouleKernels
import Testing

@testable import Tensors

/// The one-pass input gradient of a one-input-channel convolution (issue 10: the first layer
/// of a grey-scale model costs an SGLD step one pass over its output gradient, not three)
/// gives the values of the definition and of oneDNN's path.
@Suite struct SingleChannelGradientTests {
    /// The kernel on hand-made channel-blocked data against the definition, summed term by
    /// term: blocks of 8 and 16, strides 1 to 3, paddings from 0 to kernel − 1, kernels from
    /// 1×1 to 7×7, square and oblong, widths that leave partial rows of eight and one that
    /// does not, with and without LeakyReLU's slope, on one thread and two. The buffers start
    /// as NaN, so a value the kernel fails to write, or scratch it fails to clear, shows.
    @Test(arguments: [
        (block: 16, channels: 64, kernel: (3, 3), stride: 1, padding: 1, size: (28, 28)),
        (block: 16, channels: 32, kernel: (3, 3), stride: 2, padding: 1, size: (11, 13)),
        (block: 8, channels: 24, kernel: (3, 3), stride: 1, padding: 0, size: (9, 10)),
        (block: 8, channels: 8, kernel: (5, 5), stride: 3, padding: 2, size: (14, 17)),
        (block: 16, channels: 16, kernel: (5, 3), stride: 1, padding: 2, size: (7, 19)),
        (block: 16, channels: 16, kernel: (1, 1), stride: 2, padding: 0, size: (6, 5)),
        (block: 16, channels: 32, kernel: (3, 3), stride: 2, padding: 2, size: (9, 16)),
        (block: 8, channels: 16, kernel: (7, 7), stride: 1, padding: 3, size: (12, 11)),
        (block: 16, channels: 16, kernel: (3, 5), stride: 2, padding: 1, size: (10, 8)),
    ])
    func kernelMatchesTheDefinition(
        _ c: (
            block: Int, channels: Int, kernel: (Int, Int), stride: Int, padding: Int,
            size: (Int, Int)
        )
    ) throws {
        let (kh, kw) = c.kernel
        let (h, w) = c.size
        let (s, p) = (c.stride, c.padding)
        let n = 3
        let channels = c.channels
        let block = c.block
        let oh = (h + 2 * p - kh) / s + 1
        let ow = (w + 2 * p - kw) / s + 1
        let dy = randomTensor([n, channels, oh, ow], seed: 71).scalars
        let y = randomTensor([n, channels, oh, ow], seed: 72).scalars
        let weight = randomTensor([channels, 1, kh, kw], seed: 73).scalars
        let slope: Float = 0.2
        // [N, C, H, W] → [N, C/block, H, W, block].
        func blocked(_ plain: [Float]) -> [Float] {
            var out = [Float](repeating: .nan, count: plain.count)
            for image in 0..<n {
                for channel in 0..<channels {
                    for position in 0..<(oh * ow) {
                        let to =
                            ((image * (channels / block) + channel / block) * oh * ow + position) * block + channel
                            % block
                        out[to] = plain[(image * channels + channel) * oh * ow + position]
                    }
                }
            }
            return out
        }
        for withSlope in [true, false] {
            var expected = [Float](repeating: 0, count: n * h * w)
            for image in 0..<n {
                for channel in 0..<channels {
                    for oi in 0..<oh {
                        for oj in 0..<ow {
                            let at = (image * channels + channel) * oh * ow + oi * ow + oj
                            let g = withSlope && y[at] <= 0 ? dy[at] * slope : dy[at]
                            for a in 0..<kh {
                                for b in 0..<kw {
                                    let (i, j) = (oi * s - p + a, oj * s - p + b)
                                    guard (0..<h).contains(i), (0..<w).contains(j) else { continue }
                                    expected[(image * h + i) * w + j] += weight[(channel * kh + a) * kw + b] * g
                                }
                            }
                        }
                    }
                }
            }
            for threads in [1, 2] {
                let scratchCount =
                    threads * channels * joule_single_channel_padded_height(h, kh)
                    * joule_single_channel_padded_width(w, kw)
                var scratch = [Float](repeating: .nan, count: scratchCount)
                var packed = [Float](repeating: .nan, count: channels * kh * kw)
                var dx = [Float](repeating: .nan, count: n * h * w)
                let blockedY = blocked(y)
                blocked(dy).withUnsafeBufferPointer { dyBuffer in
                    blockedY.withUnsafeBufferPointer { yBuffer in
                        joule_single_channel_input_gradient(
                            dyBuffer.baseAddress, withSlope ? yBuffer.baseAddress : nil, slope, weight, &packed,
                            n, channels, block, oh, ow, h, w, kh, kw, s, p, &dx, &scratch, threads)
                    }
                }
                let scale = expected.map(abs).max() ?? 1
                let written = dx.allSatisfy { $0.isFinite }
                #expect(written, "slope \(withSlope), \(threads) threads: a value was not written")
                // allSatisfy, not max(): a NaN is never the maximum.
                let within = zip(dx, expected).allSatisfy { abs($0 - $1) <= 1e-5 * scale }
                #expect(within, "slope \(withSlope), \(threads) threads")
            }
        }
    }

    static let slope: Float = 0.2

    /// A grey-scale first layer followed by a second convolution, so that the first layer's
    /// output gradient arrives in oneDNN's blocked layout; `activation` says whether the
    /// first layer ends in LeakyReLU (cnn-s) or not (the wide ResNet's stem).
    static func energy(_ x: Tensor, _ w1: Tensor, _ w2: Tensor, _ r: Tensor, stride: Int, activation: Bool) -> Tensor {
        let h = conv2d(
            x, w1, stride: stride, padding: 1, activation: activation ? .leakyReLU(negativeSlope: slope) : .identity)
        return (conv2d(h, w2, stride: 2, padding: 1) * r).sum()
    }

    @Test(arguments: [(1, true), (2, true), (1, false)])
    func inputGradientMatchesOneDNNsPath(_ c: (stride: Int, activation: Bool)) throws {
        let x = randomTensor([3, 1, 11, 13], seed: 81)
        let w1 = randomTensor([64, 1, 3, 3], seed: 82, scale: 0.3)
        let w2 = randomTensor([32, 64, 3, 3], seed: 83, scale: 0.1)
        let hidden = ((11 - 1) / c.stride + 1, (13 - 1) / c.stride + 1)
        let r = randomTensor([3, 32, (hidden.0 - 1) / 2 + 1, (hidden.1 - 1) / 2 + 1], seed: 84)
        func f(_ x: Tensor) -> Tensor { Self.energy(x, w1, w2, r, stride: c.stride, activation: c.activation) }

        // At top level: two convolutions forward, the second's backward-data, and the first
        // layer's gradient outside oneDNN.
        let (fused, profile) = ConvolutionProfile.measure { gradient(at: x) { f($0) } }
        #expect(profile.calls == 3, "the first layer's input gradient should not run as a oneDNN convolution")

        // Inside an enclosing differentiation the gradient is recorded, and takes oneDNN's path.
        var reference: Tensor?
        let (_, nestedProfile) = ConvolutionProfile.measure {
            _ = gradient(at: randomTensor([1], seed: 85)) { d in
                reference = gradient(at: x) { f($0) }
                return d.sum()
            }
        }
        #expect(nestedProfile.calls == 4)
        let expected = try #require(reference).scalars
        let scale = expected.map(abs).max() ?? 1
        #expect(fused.shape == x.shape)
        let finite = fused.scalars.allSatisfy { $0.isFinite }
        #expect(finite)
        let within = zip(fused.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-5 * scale }
        #expect(within, "values beyond 1e-5 of \(scale)")
    }
}
