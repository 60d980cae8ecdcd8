import CDNNL
import Foundation

/// The oneDNN CPU engine and stream, created once. oneDNN calls are serialised through
/// `DNNL.lock` (recursive: reading a tensor inside a kernel may fill its plain buffer
/// from its layout twin): primitives and their memory objects are reused across calls.
enum DNNL {
    struct Handles: @unchecked Sendable {
        let engine: dnnl_engine_t
        let stream: dnnl_stream_t
    }

    static let handles: Handles = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "create the CPU engine")
        var stream: dnnl_stream_t?
        check(
            dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue),
            "create a stream")
        return Handles(engine: engine!, stream: stream!)
    }()

    static let lock = NSRecursiveLock()

    /// oneDNN failures here are programming errors (shapes are checked before any call).
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        precondition(status == dnnl_success, "oneDNN: failed to \(what()) (status \(status.rawValue))")
    }

    /// A plain row-major (`abcd…`) f32 memory descriptor; for a matrix stored transposed
    /// (`[dims[1], dims[0]]` in memory), the `ba` layout.
    static func plainDescriptor(_ dims: [Int], transposed: Bool = false) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let tags: [Int: dnnl_format_tag_t] = [1: dnnl_a, 2: transposed ? dnnl_ba : dnnl_ab, 4: dnnl_abcd]
        check(
            dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), dnnl_f32, tags[dims.count]!),
            "describe a plain tensor of shape \(dims)")
        return md
    }

    /// A descriptor that lets the primitive pick its preferred layout (of `type`'s numbers).
    static func anyDescriptor(_ dims: [Int], type: dnnl_data_type_t = dnnl_f32) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        check(
            dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), type, dnnl_format_tag_any),
            "describe a tensor of shape \(dims)")
        return md
    }

    /// A descriptor's dimensions, outermost first.
    static func dimensions(of descriptor: dnnl_memory_desc_t) -> [Int] {
        withUnsafeBytes(of: descriptor.dims) {
            Array($0.bindMemory(to: Int64.self).prefix(Int(descriptor.ndims))).map(Int.init)
        }
    }

    /// The implementation oneDNN chose for a primitive (e.g. `jit:avx2`).
    static func implementationName(_ pd: const_dnnl_primitive_desc_t) -> String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success, let name else {
            return "unknown"
        }
        return String(cString: name)
    }
}

/// One tensor argument of a primitive: the caller's plain buffer, and when the primitive
/// wants another layout, the reorder between the two. An input already held in the
/// primitive's layout (a `LayoutTwin`) is used as it is; an output in another layout is
/// left in a new twin, and reaches the plain buffer only when something reads it.
final class DNNLOperand {
    private let plainMemory: dnnl_memory_t
    private let primitiveMemory: dnnl_memory_t
    private let reorderPrimitive: dnnl_primitive_t?
    private let privateBuffer: UnsafeMutableRawPointer?
    /// The layout the primitive reads or writes.
    let primitiveDescriptor: dnnl_memory_desc_t
    /// For inputs that rarely change (weights): the storage last reordered, kept alive so
    /// its identity cannot be reused; the reorder is skipped while it is the same.
    private var cachedSource: TensorStorage?

    /// `isInput`: data flows plain → primitive layout before execution; otherwise after.
    init(plain: dnnl_memory_desc_t, primitive: UnsafePointer<dnnl_memory_desc_t>, isInput: Bool) {
        var plainDesc = plain
        primitiveDescriptor = primitive.pointee
        let engine = DNNL.handles.engine
        var memory: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&memory, &plainDesc, engine, nil), "create a plain memory")
        plainMemory = memory!
        if dnnl_memory_desc_equal(&plainDesc, primitive) != 0 {
            primitiveMemory = plainMemory
            reorderPrimitive = nil
            privateBuffer = nil
            return
        }
        // An input is reordered into a private buffer; an output is written into a new
        // twin each time, so it needs no buffer of its own.
        let buffer =
            isInput
            ? UnsafeMutableRawPointer.allocate(byteCount: max(dnnl_memory_desc_get_size(primitive), 64), alignment: 64)
            : nil
        var blocked: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&blocked, primitive, engine, buffer), "create a blocked memory")
        var reorderPD: dnnl_primitive_desc_t?
        if isInput {
            DNNL.check(
                dnnl_reorder_primitive_desc_create(&reorderPD, &plainDesc, engine, primitive, engine, DNNL.attributes),
                "plan a reorder into the primitive's layout")
        } else {
            DNNL.check(
                dnnl_reorder_primitive_desc_create(&reorderPD, primitive, engine, &plainDesc, engine, DNNL.attributes),
                "plan a reorder out of the primitive's layout")
        }
        let reorder = DNNL.createPrimitive(reorderPD, "a reorder")
        dnnl_primitive_desc_destroy(reorderPD)
        primitiveMemory = blocked!
        reorderPrimitive = reorder
        privateBuffer = buffer
    }

    /// The memory the primitive reads or writes.
    var memory: dnnl_memory_t { primitiveMemory }

    /// Points the operand at `storage`'s values in the primitive's layout: its twin when it
    /// has the right one, otherwise a reorder of the plain values into a private buffer
    /// (skipped for `cacheable` storage that is the same as last time).
    func bindInput(_ storage: TensorStorage, cacheable: Bool = false) {
        guard let reorderPrimitive, let privateBuffer else {
            setHandle(plainMemory, storage.pointer)
            return
        }
        if let twin = storage.twin, twin.matches(primitiveDescriptor) {
            setHandle(primitiveMemory, twin.buffer)
            return
        }
        setHandle(primitiveMemory, privateBuffer)
        if cacheable && storage === cachedSource { return }
        if let twin = storage.twin, let fromTwin = reorder(from: twin) {
            // Values held in another layout or number format: one reorder straight from
            // there, without filling the plain buffer on the way.
            setHandle(fromTwin.source, twin.buffer)
            run(fromTwin.primitive, from: fromTwin.source, to: primitiveMemory)
        } else {
            setHandle(plainMemory, storage.pointer)
            run(reorderPrimitive, from: plainMemory, to: primitiveMemory)
        }
        cachedSource = cacheable ? storage : nil
    }

    /// Reorders into the primitive's layout from twins' layouts, one per layout seen.
    private var twinReorders: [(descriptor: dnnl_memory_desc_t, source: dnnl_memory_t, primitive: dnnl_primitive_t)] =
        []

    /// The reorder from `twin`'s layout into the primitive's, or nil when the twin holds
    /// other dimensions (a reshaped tensor keeps its storage's twin).
    private func reorder(from twin: LayoutTwin) -> (source: dnnl_memory_t, primitive: dnnl_primitive_t)? {
        guard twin.hasDimensions(of: primitiveDescriptor) else { return nil }
        if let known = twinReorders.first(where: { twin.matches($0.descriptor) }) {
            return (known.source, known.primitive)
        }
        var source = twin.descriptor
        var target = primitiveDescriptor
        let engine = DNNL.handles.engine
        var memory: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&memory, &source, engine, nil), "create a twin's memory")
        var reorderPD: dnnl_primitive_desc_t?
        DNNL.check(
            dnnl_reorder_primitive_desc_create(&reorderPD, &source, engine, &target, engine, DNNL.attributes),
            "plan a reorder from a twin into the primitive's layout")
        defer { dnnl_primitive_desc_destroy(reorderPD) }
        let primitive = DNNL.createPrimitive(reorderPD, "a reorder from a twin")
        twinReorders.append((twin.descriptor, memory!, primitive))
        return (memory!, primitive)
    }

    /// Points the operand at where the primitive writes `storage`'s values: the plain
    /// buffer when the layouts agree, else a new twin, returned to be attached after the
    /// primitive ran.
    func bindOutput(_ storage: TensorStorage) -> LayoutTwin? {
        guard reorderPrimitive != nil else {
            setHandle(plainMemory, storage.pointer)
            return nil
        }
        let twin = LayoutTwin(descriptor: primitiveDescriptor)
        setHandle(primitiveMemory, twin.buffer)
        return twin
    }

    /// Points an operand whose layouts agree (no reorder) at a raw buffer.
    func bindPlain(_ pointer: UnsafeMutableRawPointer) {
        precondition(reorderPrimitive == nil, "DNNLOperand.bindPlain: the operand reorders")
        setHandle(plainMemory, pointer)
    }

    /// Reorders `twin` (in this operand's primitive layout) into the plain buffer `plain`.
    func reorder(from twin: LayoutTwin, into plain: UnsafeMutablePointer<Float>) {
        guard let reorderPrimitive else { return }
        setHandle(primitiveMemory, twin.buffer)
        setHandle(plainMemory, plain)
        run(reorderPrimitive, from: primitiveMemory, to: plainMemory)
    }

    private func setHandle(_ memory: dnnl_memory_t, _ pointer: UnsafeMutableRawPointer) {
        DNNL.check(dnnl_memory_set_data_handle(memory, pointer), "bind a buffer")
    }

    private func setHandle(_ memory: dnnl_memory_t, _ pointer: UnsafeMutablePointer<Float>) {
        setHandle(memory, UnsafeMutableRawPointer(pointer))
    }

    private func run(_ primitive: dnnl_primitive_t, from: dnnl_memory_t, to: dnnl_memory_t) {
        DNNL.execute(
            primitive,
            [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to)],
            "a reorder")
    }
}

/// A planned oneDNN primitive over flat buffers (elementwise work, which does not care
/// about layout): the primitive and its operands in execution-argument order.
final class FlatPlan {
    let primitive: dnnl_primitive_t
    let operands: [(arg: Int32, operand: DNNLOperand)]

    init(primitive: dnnl_primitive_t, operands: [(arg: Int32, operand: DNNLOperand)]) {
        (self.primitive, self.operands) = (primitive, operands)
    }

    /// Runs the primitive on `pointers`, one per operand in order, and waits for it; `what`
    /// names it in errors. Call with `DNNL.lock` held.
    func run(_ pointers: [UnsafeMutableRawPointer], what: String) {
        for (slot, pointer) in zip(operands, pointers) { slot.operand.bindPlain(pointer) }
        DNNL.execute(primitive, operands.map { dnnl_exec_arg_t(arg: $0.arg, memory: $0.operand.memory) }, what)
    }
}
