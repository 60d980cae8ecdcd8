import Foundation
import Testing

@testable import Tensors

/// `ConvolutionPrecision.bfloat16`: forward and backward-data passes equal a float32
/// convolution of their inputs rounded to bfloat16 (products of two bfloat16 numbers are
/// exact in float32, so only the float32 sums round) — a bar the float32 path itself misses,
/// so a plan that silently stayed float32 fails. Weight gradients stay float32 to the bit.
@Suite struct BFloat16ConvolutionTests {
    /// bfloat16's round-to-nearest-even of `value` (finite), back in float32.
    static func rounded(_ value: Float) -> Float {
        let bits = value.bitPattern
        return Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000)
    }

    static func rounded(_ t: Tensor) -> Tensor { Tensor(t.scalars.map { rounded($0) }, shape: t.shape) }

    /// dx = convᵀ(dy, w) summed term by term in Double.
    static func backwardData(_ dy: Tensor, _ w: Tensor, inputShape: [Int], stride s: Int, padding p: Int) -> [Double] {
        let (n, c, h, wd) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (o, kh, kw, oh, ow) = (w.shape[0], w.shape[2], w.shape[3], dy.shape[2], dy.shape[3])
        let dys = dy.scalars
        let ws = w.scalars
        var dx = [Double](repeating: 0, count: n * c * h * wd)
        for ni in 0..<n {
            for oi in 0..<o {
                for i in 0..<oh {
                    for j in 0..<ow {
                        let g = Double(dys[((ni * o + oi) * oh + i) * ow + j])
                        for ci in 0..<c {
                            for ky in 0..<kh {
                                for kx in 0..<kw {
                                    let yy = i * s + ky - p
                                    let xx = j * s + kx - p
                                    guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
                                    dx[((ni * c + ci) * h + yy) * wd + xx] +=
                                        g * Double(ws[((oi * c + ci) * kh + ky) * kw + kx])
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }

    static func worstError(_ a: Tensor, _ b: [Double]) -> Double {
        zip(a.scalars, b).map { $0.0.isFinite ? abs(Double($0.0) - $0.1) : .infinity }.max() ?? 0
    }

    static let slope: Float = 0.2

    /// (input channels, output channels, size, kernel, stride, padding): a stride-2 layer, a
    /// 3×3 stride-1 layer (Winograd in float32) and a 1×1 layer.
    static let cases = [(64, 32, 14, 3, 2, 1), (32, 48, 8, 3, 1, 1), (16, 16, 5, 1, 1, 0)]

    @Test(arguments: cases)
    func forwardRoundsItsInputsOnly(
        inChannels: Int, outChannels: Int, size: Int, kernel: Int, stride: Int, padding: Int
    ) {
        let x = randomTensor([2, inChannels, size, size], seed: 31)
        let w = randomTensor([outChannels, inChannels, kernel, kernel], seed: 32, scale: 0.1)
        let b = randomTensor([outChannels], seed: 33, scale: 0.1)
        let y = withConvolutionPrecision(.bfloat16) {
            conv2d(x, w, bias: b, stride: stride, padding: padding, activation: .leakyReLU(negativeSlope: Self.slope))
        }
        let single = conv2d(
            x, w, bias: b, stride: stride, padding: padding, activation: .leakyReLU(negativeSlope: Self.slope))
        let reference = ConvolutionReferenceTests.directConvolution(
            Self.rounded(x), Self.rounded(w), b, stride: stride, padding: padding
        )
        .map { $0 > 0 ? $0 : Double(Self.slope) * $0 }
        let scale = reference.map(abs).max() ?? 1
        if ConvolutionPrecision.bfloat16IsNative {
            #expect(
                Self.worstError(y, reference) <= 2e-6 * scale,
                "bfloat16 forward: \(Self.worstError(y, reference)) at scale \(scale)")
            #expect(Self.worstError(single, reference) > 1e-4 * scale, "the float32 path should miss the bfloat16 bar")
        } else {
            #expect(y.scalars == single.scalars, "without native bfloat16 the convolution stays float32")
        }
    }

    @Test(arguments: cases)
    func inputGradientRoundsItsInputsOnly(
        inChannels: Int, outChannels: Int, size: Int, kernel: Int, stride: Int, padding: Int
    ) {
        let x = randomTensor([2, inChannels, size, size], seed: 41)
        let w = randomTensor([outChannels, inChannels, kernel, kernel], seed: 42, scale: 0.1)
        let outSize = (size + 2 * padding - kernel) / stride + 1
        let dy = randomTensor([2, outChannels, outSize, outSize], seed: 43)
        let loss = { (x: Tensor) in (conv2d(x, w, stride: stride, padding: padding) * dy).sum() }
        let dx = withConvolutionPrecision(.bfloat16) { gradient(at: x, of: loss) }
        let single = gradient(at: x, of: loss)
        let reference = Self.backwardData(
            Self.rounded(dy), Self.rounded(w), inputShape: x.shape, stride: stride, padding: padding)
        let scale = reference.map(abs).max() ?? 1
        if ConvolutionPrecision.bfloat16IsNative {
            #expect(
                Self.worstError(dx, reference) <= 2e-6 * scale,
                "bfloat16 backward-data: \(Self.worstError(dx, reference))")
            #expect(Self.worstError(single, reference) > 1e-4 * scale, "the float32 path should miss the bfloat16 bar")
        } else {
            #expect(dx.scalars == single.scalars)
        }
    }

    /// A second layer reads the first one's output from its float32 blocked twin and
    /// converts it straight to bfloat16: the same as rounding the values it holds.
    @Test func chainedLayersRoundTheTwinsValues() {
        let x = randomTensor([2, 32, 12, 12], seed: 51)
        let w1 = randomTensor([32, 32, 3, 3], seed: 52, scale: 0.1)
        let w2 = randomTensor([16, 32, 3, 3], seed: 53, scale: 0.1)
        let zero = Tensor.zeros([16])
        let (hidden, y) = withConvolutionPrecision(.bfloat16) { () -> (Tensor, Tensor) in
            let h = conv2d(x, w1, stride: 2, padding: 1, activation: .leakyReLU(negativeSlope: Self.slope))
            return (h, conv2d(h, w2, stride: 1, padding: 1))
        }
        let plainHidden = Tensor(hidden.scalars, shape: hidden.shape)
        let reference = ConvolutionReferenceTests.directConvolution(
            Self.rounded(plainHidden), Self.rounded(w2), zero, stride: 1, padding: 1)
        let scale = reference.map(abs).max() ?? 1
        if ConvolutionPrecision.bfloat16IsNative {
            #expect(Self.worstError(y, reference) <= 2e-6 * scale, "second layer: \(Self.worstError(y, reference))")
        } else {
            let single = conv2d(
                conv2d(x, w1, stride: 2, padding: 1, activation: .leakyReLU(negativeSlope: Self.slope)), w2, stride: 1,
                padding: 1)
            #expect(y.scalars == single.scalars)
        }
    }

    /// The weight gradient does not depend on the forward output, and stays float32: the
    /// same bits inside and outside the scope.
    @Test func weightGradientStaysFloat32() {
        let x = randomTensor([2, 32, 10, 10], seed: 61)
        let w = randomTensor([32, 32, 3, 3], seed: 62, scale: 0.1)
        let b = randomTensor([32], seed: 63, scale: 0.1)
        let dy = randomTensor([2, 32, 5, 5], seed: 64)
        let loss = { (w: Tensor, b: Tensor) in (conv2d(x, w, bias: b, stride: 2, padding: 1) * dy).sum() }
        let (dw, db) = withConvolutionPrecision(.bfloat16) { gradient(at: w, b, of: loss) }
        let (singleDW, singleDB) = gradient(at: w, b, of: loss)
        #expect(dw.scalars == singleDW.scalars)
        #expect(db.scalars == singleDB.scalars)
    }

    /// The scope reaches only what runs inside it.
    @Test func precisionIsScoped() {
        #expect(ConvolutionPrecision.current == .float32)
        withConvolutionPrecision(.bfloat16) { #expect(ConvolutionPrecision.current == .bfloat16) }
        #expect(ConvolutionPrecision.current == .float32)
    }

    /// A CPU with the instructions (this project's machine: AVX512_BF16) has native bfloat16
    /// convolutions, so the tests above take their bfloat16 branch; one without must not
    /// claim them. (oneDNN can be told to use less of the CPU: then no claim either way.)
    @Test func nativeSupportFollowsTheCPU() {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let hasInstructions = flags.contains(" avx512_bf16") || flags.contains(" amx_bf16")
        let environment = ProcessInfo.processInfo.environment
        let isaLimited = environment["ONEDNN_MAX_CPU_ISA"] != nil || environment["DNNL_MAX_CPU_ISA"] != nil
        if hasInstructions && !isaLimited { #expect(ConvolutionPrecision.bfloat16IsNative) }
        if !hasInstructions { #expect(!ConvolutionPrecision.bfloat16IsNative) }
        if ConvolutionPrecision.bfloat16IsNative {
            _ = withConvolutionPrecision(.bfloat16) {
                conv2d(
                    randomTensor([1, 16, 6, 6], seed: 71), randomTensor([16, 16, 3, 3], seed: 72), stride: 2, padding: 1
                )
            }
            #expect(
                Kernels.implementationReport().contains {
                    $0.contains("1x16x6x6 -> 16 k3 s2") && $0.contains("bfloat16: jit_bf16")
                })
        }
    }
}
