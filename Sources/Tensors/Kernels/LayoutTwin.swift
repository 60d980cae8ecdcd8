import CDNNL

/// A tensor's values in a oneDNN memory layout (e.g. nChw16c), owned by its storage.
final class LayoutTwin: @unchecked Sendable {
    /// The layout.
    let descriptor: dnnl_memory_desc_t
    /// The values, `byteCount` bytes, 64-byte aligned.
    let buffer: UnsafeMutableRawPointer
    let byteCount: Int

    /// A twin with uninitialised values in `descriptor`'s layout.
    init(descriptor: dnnl_memory_desc_t) {
        var d = descriptor
        self.descriptor = descriptor
        byteCount = max(dnnl_memory_desc_get_size(&d), 64)
        buffer = UnsafeMutableRawPointer(BufferPool.shared.take(count: byteCount / 4))
    }

    deinit { BufferPool.shared.give(buffer.assumingMemoryBound(to: Float.self), count: byteCount / 4) }

    /// Whether the layout is exactly `other`.
    func matches(_ other: dnnl_memory_desc_t) -> Bool {
        var a = descriptor
        var b = other
        return dnnl_memory_desc_equal(&a, &b) != 0
    }

    /// Whether the layout has the same dimensions as `other` (whatever the layout or type).
    func hasDimensions(of other: dnnl_memory_desc_t) -> Bool {
        DNNL.dimensions(of: descriptor) == DNNL.dimensions(of: other)
    }

    /// When this twin holds a tensor of `shape` [N, C, H, W] in oneDNN's channel-blocked
    /// layout (aBcd8b or aBcd16b, C a whole number of blocks): the block size; nil for any
    /// other layout or shape (a reshaped tensor keeps its storage's twin, so the twin's own
    /// dimensions are not enough). Call with `DNNL.lock` held.
    func channelBlock(for shape: [Int]) -> Int? {
        guard shape.count == 4 else { return nil }
        var mine = descriptor
        let dims = shape.map(Int64.init)
        for (block, tag) in [(16, dnnl_aBcd16b), (8, dnnl_aBcd8b)] where shape[1] % block == 0 {
            var blocked = dnnl_memory_desc_t()
            guard dnnl_memory_desc_init_by_tag(&blocked, 4, dims, dnnl_f32, tag) == dnnl_success else { continue }
            if dnnl_memory_desc_equal(&mine, &blocked) != 0 { return block }
        }
        return nil
    }

    /// Writes the values, row-major, to `plain`. Call with `DNNL.lock` held.
    func copyToPlain(_ plain: UnsafeMutablePointer<Float>) {
        PlainReorders.toPlain(from: self, into: plain)
    }
}

/// Cached reorders from oneDNN layouts to plain row-major, one per layout seen.
enum PlainReorders {
    nonisolated(unsafe) private static var operands: [DNNLOperand] = []

    /// Call with `DNNL.lock` held.
    static func toPlain(from twin: LayoutTwin, into plain: UnsafeMutablePointer<Float>) {
        let operand =
            operands.first { twin.matches($0.primitiveDescriptor) }
            ?? {
                var descriptor = twin.descriptor
                let made = DNNLOperand(
                    plain: DNNL.plainDescriptor(DNNL.dimensions(of: descriptor)), primitive: &descriptor,
                    isInput: false)
                operands.append(made)
                return made
            }()
        operand.reorder(from: twin, into: plain)
    }
}
