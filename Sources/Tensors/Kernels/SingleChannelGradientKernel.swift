import CJouleKernels

/// The input gradient of a convolution with one input channel (the first layer of a
/// grey-scale image model), computed from an output gradient in oneDNN's channel-blocked
/// layout in one pass, with the LeakyReLU that follows the convolution folded in.
///
/// oneDNN's only backward-data kernel for one input channel reads the output gradient in
/// plain layout, so through oneDNN this gradient cost three passes over the model's largest
/// tensor: LeakyReLU's slope, a reorder to plain and the GEMM-based kernel (cnn-s at batch
/// 64: 0.65 + 0.52 + 0.48 ms of every SGLD step's 24). The work is small (one multiply-add
/// per output value and tap); the passes were memory traffic.
enum SingleChannelGradientKernel {
    /// dx = convᵀ(dy ⊙ slope(y), w), or convᵀ(dy, w) without a `slope`: nil unless the
    /// geometry has one input channel and `outputGradient` (and, with a slope, `output`)
    /// hold their values in one channel-blocked layout; the caller then takes oneDNN's path.
    static func inputGradient(
        _ g: ConvolutionGeometry, outputGradient dy: Tensor, output y: Tensor,
        slope: Float?, weight: Tensor
    ) -> Tensor? {
        guard g.inChannels == 1, g.padding < g.kernelHeight, g.padding < g.kernelWidth, dy.storage.twin != nil,
            slope == nil || y.storage.twin != nil
        else { return nil }
        return DNNL.lock.withLock { () -> Tensor? in
            guard let gradientTwin = dy.storage.twin, let block = gradientTwin.channelBlock(for: g.outputShape) else {
                return nil
            }
            var outputValues: UnsafeMutablePointer<Float>?
            if slope != nil {
                guard let outputTwin = y.storage.twin, outputTwin.matches(gradientTwin.descriptor) else { return nil }
                outputValues = outputTwin.buffer.assumingMemoryBound(to: Float.self)
            }
            // A thread per image at most: each clears a whole scratch plane before its first.
            let threads = g.flops < Threading.singleThreadWork ? 1 : min(Kernels.threadCount, g.batch)
            let packedCount = g.outChannels * g.kernelHeight * g.kernelWidth
            let scratchCount =
                threads * g.outChannels * joule_single_channel_padded_height(g.height, g.kernelHeight)
                * joule_single_channel_padded_width(g.width, g.kernelWidth)
            let packed = BufferPool.shared.take(count: packedCount)
            let scratch = BufferPool.shared.take(count: scratchCount)
            defer {
                BufferPool.shared.give(packed, count: packedCount)
                BufferPool.shared.give(scratch, count: scratchCount)
            }
            let out = Tensor.uninitialized(g.inputShape)
            joule_single_channel_input_gradient(
                gradientTwin.buffer.assumingMemoryBound(to: Float.self), outputValues, slope ?? 1,
                weight.storage.pointer,
                packed, g.batch, g.outChannels, block, g.outHeight, g.outWidth, g.height, g.width,
                g.kernelHeight, g.kernelWidth, g.stride, g.padding, out.storage.pointer, scratch, threads)
            return out
        }
    }
}
