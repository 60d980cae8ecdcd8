import Foundation
import Testing

@testable import Tensors

/// Wrong shapes and axes stop the program with a message naming the operation and shapes.
/// Each case runs in a child process (Swift Testing exit tests).
@Suite struct MisuseTests {
    @Test func matmulInnerExtentsDiffer() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("matmul") && message.contains("[2, 3]") && message.contains("[4, 5]"))
        }
    }

    @Test func broadcastingMismatch() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("add") && message.contains("[2, 3]") && message.contains("[4]"))
        }
    }

    @Test func axisOutOfRange() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).sum(alongAxes: [2])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("sum") && message.contains("axis 2") && message.contains("[2, 3]"))
        }
    }

    @Test func convolutionChannelMismatch() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 3, 5, 5]), Tensor.zeros([4, 2, 3, 3]))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("conv2d") && message.contains("[1, 3, 5, 5]") && message.contains("[4, 2, 3, 3]"))
        }
    }

    @Test func reshapeToWrongCount() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshaped(to: [4, 2])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("reshaped") && message.contains("[2, 3]") && message.contains("[4, 2]"))
        }
    }
}
