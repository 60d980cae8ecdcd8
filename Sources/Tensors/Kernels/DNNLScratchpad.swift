import CDNNL

/// Scratch space for oneDNN primitives, provided by the engine (oneDNN's "user" scratchpad
/// mode) instead of oneDNN's default.
///
/// By default oneDNN keeps one scratchpad per thread, sized by the primitives created on
/// that thread, and a primitive run on another thread than the one that created it reads
/// and writes that thread's buffer, whatever its size (oneDNN's documentation: "will result
/// in segmentation fault"). The engine plans each primitive once and runs it from whichever
/// thread asks next — a Swift task resumes on any thread, tests run side by side — so every
/// primitive here is created with `DNNL.attributes` and run through `DNNL.execute`, which
/// hands it this one buffer: `DNNL.lock` runs one primitive at a time, so they can share it.
extension DNNL {
    /// Primitive attributes asking for a caller-provided scratchpad. Pass these (or
    /// attributes made by `makeAttributes`) to every primitive descriptor; never destroyed.
    nonisolated(unsafe) static let attributes: dnnl_primitive_attr_t = makeAttributes()

    /// New attributes asking for a caller-provided scratchpad, for a caller that adds more
    /// (post-ops) and destroys them.
    static func makeAttributes() -> dnnl_primitive_attr_t {
        var attributes: dnnl_primitive_attr_t?
        check(dnnl_primitive_attr_create(&attributes), "create attributes")
        check(
            dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "ask for a user scratchpad")
        return attributes!
    }

    /// What running a primitive needs besides its arguments: the OpenMP team size it was
    /// planned under (oneDNN sizes per-thread scratch for it) and its scratchpad memory, if any.
    private struct Needs {
        let team: Int32
        let scratchpad: dnnl_memory_t?
    }

    nonisolated(unsafe) private static var needs: [OpaquePointer: Needs] = [:]
    /// The shared scratchpad, grown when a primitive that needs more is created (never while
    /// one runs, so a primitive run without waiting keeps its buffer).
    nonisolated(unsafe) private static var scratchBuffer: UnsafeMutableRawPointer?
    nonisolated(unsafe) private static var scratchCapacity = 0

    /// Creates the primitive that `pd` describes (planned for the current `Threading.team`)
    /// and notes the scratchpad it needs. `pd` must have been made with `attributes`. Call
    /// with `DNNL.lock` held.
    static func createPrimitive(_ pd: const_dnnl_primitive_desc_t?, _ what: @autoclosure () -> String)
        -> dnnl_primitive_t
    {
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, pd), "create \(what())")
        var scratchpad: dnnl_memory_t?
        if let descriptor = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0) {
            var scratch = descriptor.pointee
            let bytes = dnnl_memory_desc_get_size(&scratch)
            if bytes > 0 {
                check(
                    dnnl_memory_create(&scratchpad, &scratch, handles.engine, nil), "create a scratchpad for \(what())")
                if bytes > scratchCapacity {
                    scratchBuffer?.deallocate()
                    scratchBuffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
                    scratchCapacity = bytes
                }
            }
        }
        needs[primitive!] = Needs(team: Threading.team, scratchpad: scratchpad)
        return primitive!
    }

    /// Runs `primitive` on `arguments` and its scratchpad, with the team it was planned
    /// under; waits for it unless `wait` is false (the caller waits). Call with `DNNL.lock` held.
    static func execute(
        _ primitive: dnnl_primitive_t, _ arguments: [dnnl_exec_arg_t], _ what: @autoclosure () -> String,
        wait: Bool = true
    ) {
        guard let needs = needs[primitive] else {
            preconditionFailure("oneDNN: \(what()) was not made by DNNL.createPrimitive")
        }
        // Reading an input's plain values may have run a reorder planned for another team.
        Threading.useTeam(needs.team)
        var arguments = arguments
        if let scratchpad = needs.scratchpad {
            check(dnnl_memory_set_data_handle(scratchpad, scratchBuffer), "bind a scratchpad")
            arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad))
        }
        check(dnnl_primitive_execute(primitive, handles.stream, Int32(arguments.count), arguments), "run \(what())")
        if wait { check(dnnl_stream_wait(handles.stream), "wait for \(what())") }
    }
}
