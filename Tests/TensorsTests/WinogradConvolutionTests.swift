import Foundation
import Testing

@testable import Tensors

/// cnn-s's 3×3 stride-1 layers run on oneDNN's Winograd kernels where the CPU has AVX-512
/// (the default algorithm): their forward (with the LeakyReLU that Winograd cannot fuse, run
/// in place after it), backward-data and backward-weights passes against a direct
/// convolution in Double. Winograd's transforms round differently from a direct sum, so the
/// bar is relative to the output's scale.
@Suite struct WinogradConvolutionTests {
    static var hasAVX512: Bool {
        ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").contains(" avx512f")
    }

    static let slope: Float = 0.2

    @Test(arguments: [(64, 128, 14, 4), (128, 256, 7, 4)])
    func matchesADirectConvolution(inChannels: Int, outChannels: Int, size: Int, batch: Int) {
        let x = randomTensor([batch, inChannels, size, size], seed: 21)
        let w = randomTensor([outChannels, inChannels, 3, 3], seed: 22, scale: 0.05)
        let b = randomTensor([outChannels], seed: 23, scale: 0.1)
        let y = conv2d(x, w, bias: b, stride: 1, padding: 1, activation: .leakyReLU(negativeSlope: Self.slope))
        let linear = ConvolutionReferenceTests.directConvolution(x, w, b, stride: 1, padding: 1)
        let reference = linear.map { $0 > 0 ? $0 : Double(Self.slope) * $0 }
        let scale = reference.map(abs).max() ?? 1
        let worst = zip(y.scalars, reference).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * scale, "forward: worst error \(worst) at output scale \(scale)")

        // The adjoint identities ⟨dx, δx⟩ = ⟨dy, conv(δx, w)⟩ and ⟨dw, δw⟩ = ⟨dy, conv(x, δw)⟩.
        let dy = randomTensor([batch, outChannels, size, size], seed: 24)
        let (dx, dw) = gradient(at: x, w) { x, w in (conv2d(x, w, stride: 1, padding: 1) * dy).sum() }
        let deltaX = randomTensor(x.shape, seed: 25)
        let deltaW = randomTensor(w.shape, seed: 26)
        let zero = Tensor.zeros([outChannels])
        func dot(_ a: Tensor, _ b: [Double]) -> Double { zip(a.scalars, b).map { Double($0) * $1 }.reduce(0, +) }
        let rhsX = dot(dy, ConvolutionReferenceTests.directConvolution(deltaX, w, zero, stride: 1, padding: 1))
        let rhsW = dot(dy, ConvolutionReferenceTests.directConvolution(x, deltaW, zero, stride: 1, padding: 1))
        #expect(abs(dot(dx, deltaX.scalars.map(Double.init)) - rhsX) <= 1e-4 * (1 + abs(rhsX)), "backward-data")
        #expect(abs(dot(dw, deltaW.scalars.map(Double.init)) - rhsW) <= 1e-4 * (1 + abs(rhsW)), "backward-weights")

        // On AVX-512 the forward and backward-data passes of this layer are Winograd's.
        let report = Kernels.implementationReport().filter {
            $0.contains("\(batch)x\(inChannels)x\(size)x\(size) -> \(outChannels) k3 s1")
        }
        if Self.hasAVX512, ConvolutionKernel.algorithm == .winograd {
            #expect(
                report.contains { $0.contains("forward") && $0.contains("wino") && $0.contains("eltwise LeakyReLU") },
                "\(report)")
            #expect(report.contains { $0.contains("backwardData") && $0.contains("wino") }, "\(report)")
        }
    }
}
