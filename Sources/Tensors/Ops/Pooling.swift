// Average pooling (primitive) and its adjoint; each is the other's derivative. Global
// average pooling likewise, read from and written to oneDNN's channel-blocked layout when
// the input holds its values there (the output of a convolution), so the network's last
// convolution needs no reorder to plain and back around it.
import CDNNL
import CJouleKernels

extension Tensor {
    /// Mean over `kernel × kernel` windows of an [N, C, H, W] tensor, moved by `stride`
    /// (default: the kernel size), no padding.
    public func averagePooled(kernel: Int, stride: Int? = nil) -> Tensor {
        let s = stride ?? kernel
        precondition(rank == 4, "averagePooled: needs [N, C, H, W], got shape \(shape)")
        precondition(
            kernel >= 1 && s >= 1 && shape[2] >= kernel && shape[3] >= kernel,
            "averagePooled: kernel \(kernel), stride \(s) do not fit shape \(shape)")
        let window = PoolWindow(inputShape: shape, kernel: kernel, stride: s)
        let out = Tensor.zeros(window.outputShape)
        window.forEachTap { i, o in out.storage.pointer[o] += storage.pointer[i] * window.weight }
        return Tensor.record(out, operation: "averagePool", input: self) { g in g.averagePoolAdjoint(window) }
    }

    /// Mean over the spatial axes of an [N, C, H, W] tensor, giving [N, C].
    public func globalAveragePooled() -> Tensor {
        precondition(rank == 4, "globalAveragePooled: needs [N, C, H, W], got shape \(shape)")
        let (n, c, spatial) = (shape[0], shape[1], shape[2] * shape[3])
        let out = Tensor.uninitialized([n, c])
        // The layout, not the twin: the graph keeps only what the adjoint needs.
        let blocked: (layout: dnnl_memory_desc_t, block: Int)? = DNNL.lock.withLock {
            guard let twin = storage.twin, let block = twin.channelBlock(for: shape) else { return nil }
            joule_blocked_spatial_mean(
                twin.buffer.assumingMemoryBound(to: Float.self), out.storage.pointer,
                n, c / block, spatial, block, 1 / Float(spatial))
            return (twin.descriptor, block)
        }
        guard let blocked else { return mean(squeezingAxes: [2, 3]) }
        let inputShape = shape
        return Tensor.record(out, operation: "globalAveragePool", input: self) { g in
            g.spreadOverSpace(inputShape, layout: blocked.layout, block: blocked.block)
        }
    }

    /// The adjoint of `globalAveragePooled`: each [N, C] value divided evenly over the
    /// H × W positions of its channel, written in `layout` (`inputShape` in blocks of
    /// `block` channels).
    fileprivate func spreadOverSpace(_ inputShape: [Int], layout: dnnl_memory_desc_t, block: Int) -> Tensor {
        let (n, c, spatial) = (inputShape[0], inputShape[1], inputShape[2] * inputShape[3])
        let out = Tensor.uninitialized(inputShape)
        DNNL.lock.withLock {
            let twin = LayoutTwin(descriptor: layout)
            joule_blocked_spatial_spread(
                storage.pointer, twin.buffer.assumingMemoryBound(to: Float.self),
                n, c / block, spatial, block, 1 / Float(spatial))
            out.storage.attach(twin)
        }
        return Tensor.record(out, operation: "globalAveragePoolAdjoint", input: self) { g in g.globalAveragePooled() }
    }

    /// Spreads each output cotangent evenly over its window.
    fileprivate func averagePoolAdjoint(_ window: PoolWindow) -> Tensor {
        let out = Tensor.zeros(window.inputShape)
        window.forEachTap { i, o in out.storage.pointer[i] += storage.pointer[o] * window.weight }
        return Tensor.record(out, operation: "averagePoolAdjoint", input: self) { g in
            g.averagePooled(kernel: window.kernel, stride: window.stride)
        }
    }
}

/// The windows of an average pool.
private struct PoolWindow {
    let inputShape: [Int]
    let kernel: Int
    let stride: Int
    var outputShape: [Int] {
        [inputShape[0], inputShape[1], (inputShape[2] - kernel) / stride + 1, (inputShape[3] - kernel) / stride + 1]
    }
    var weight: Float { 1 / Float(kernel * kernel) }

    /// Calls `body(inputIndex, outputIndex)` for every input element of every window.
    func forEachTap(_ body: (Int, Int) -> Void) {
        let (h, w) = (inputShape[2], inputShape[3])
        let (oh, ow) = (outputShape[2], outputShape[3])
        for plane in 0..<(inputShape[0] * inputShape[1]) {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let o = (plane * oh + oy) * ow + ox
                    for ky in 0..<kernel {
                        let row = (plane * h + oy * stride + ky) * w + ox * stride
                        for kx in 0..<kernel { body(row + kx, o) }
                    }
                }
            }
        }
    }
}
