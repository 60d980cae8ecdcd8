import CDNNL
import Synchronization

/// The oneDNN CPU engine and stream, created once. oneDNN calls are serialised through
/// `DNNL.lock`: primitives and their memory objects are reused across calls.
enum DNNL {
    struct Handles: @unchecked Sendable {
        let engine: dnnl_engine_t
        let stream: dnnl_stream_t
    }

    static let handles: Handles = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "create the CPU engine")
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue),
              "create a stream")
        return Handles(engine: engine!, stream: stream!)
    }()

    static let lock = Mutex(())

    /// oneDNN failures here are programming errors (shapes are checked before any call).
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        precondition(status == dnnl_success, "oneDNN: failed to \(what()) (status \(status.rawValue))")
    }

    /// A plain row-major (`abcd…`) f32 memory descriptor; for a matrix stored transposed
    /// (`[dims[1], dims[0]]` in memory), the `ba` layout.
    static func plainDescriptor(_ dims: [Int], transposed: Bool = false) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let tags: [Int: dnnl_format_tag_t] = [1: dnnl_a, 2: transposed ? dnnl_ba : dnnl_ab, 4: dnnl_abcd]
        check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), dnnl_f32, tags[dims.count]!),
              "describe a plain tensor of shape \(dims)")
        return md
    }

    /// A descriptor that lets the primitive pick its preferred layout.
    static func anyDescriptor(_ dims: [Int]) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), dnnl_f32, dnnl_format_tag_any),
              "describe a tensor of shape \(dims)")
        return md
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
/// wants another layout, a private buffer in that layout plus the reorder between them.
final class DNNLOperand {
    private let plainMemory: dnnl_memory_t
    private let primitiveMemory: dnnl_memory_t
    private let reorder: dnnl_primitive_t?
    private let privateBuffer: UnsafeMutableRawPointer?
    /// For inputs that rarely change (weights): the storage last reordered, kept alive so
    /// its identity cannot be reused; the reorder is skipped while it is the same.
    private var cachedSource: TensorStorage?

    /// `isInput`: data flows plain → primitive layout before execution; otherwise after.
    init(plain: dnnl_memory_desc_t, primitive: UnsafePointer<dnnl_memory_desc_t>, isInput: Bool) {
        var plainDesc = plain
        let engine = DNNL.handles.engine
        var memory: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&memory, &plainDesc, engine, nil), "create a plain memory")
        plainMemory = memory!
        if dnnl_memory_desc_equal(&plainDesc, primitive) != 0 {
            primitiveMemory = plainMemory
            reorder = nil
            privateBuffer = nil
            return
        }
        let size = dnnl_memory_desc_get_size(primitive)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 64), alignment: 64)
        var blocked: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&blocked, primitive, engine, buffer), "create a blocked memory")
        var reorderPD: dnnl_primitive_desc_t?
        if isInput {
            DNNL.check(dnnl_reorder_primitive_desc_create(&reorderPD, &plainDesc, engine, primitive, engine, nil),
                       "plan a reorder into the primitive's layout")
        } else {
            DNNL.check(dnnl_reorder_primitive_desc_create(&reorderPD, primitive, engine, &plainDesc, engine, nil),
                       "plan a reorder out of the primitive's layout")
        }
        var prim: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&prim, reorderPD), "create a reorder")
        dnnl_primitive_desc_destroy(reorderPD)
        primitiveMemory = blocked!
        reorder = prim
        privateBuffer = buffer
    }

    /// The memory the primitive reads or writes.
    var memory: dnnl_memory_t { primitiveMemory }

    /// Points the operand at `pointer` and, for an input, brings the data into the
    /// primitive's layout. `cacheKey`, when given, skips the reorder for unchanged storage.
    func bindInput(_ pointer: UnsafeMutablePointer<Float>, cacheKey: TensorStorage? = nil) {
        DNNL.check(dnnl_memory_set_data_handle(plainMemory, pointer), "bind a buffer")
        guard let reorder else { return }
        if let cacheKey, cacheKey === cachedSource { return }
        run(reorder, from: plainMemory, to: primitiveMemory)
        cachedSource = cacheKey
    }

    /// Points the operand at the output buffer `pointer`.
    func bindOutput(_ pointer: UnsafeMutablePointer<Float>) {
        DNNL.check(dnnl_memory_set_data_handle(plainMemory, pointer), "bind a buffer")
    }

    /// After execution, moves an output from the primitive's layout to the plain buffer.
    func finishOutput() {
        guard let reorder else { return }
        run(reorder, from: primitiveMemory, to: plainMemory)
    }

    private func run(_ primitive: dnnl_primitive_t, from: dnnl_memory_t, to: dnnl_memory_t) {
        var args = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to)]
        DNNL.check(dnnl_primitive_execute(primitive, DNNL.handles.stream, 2, &args), "reorder")
        DNNL.check(dnnl_stream_wait(DNNL.handles.stream), "wait for a reorder")
    }
}
