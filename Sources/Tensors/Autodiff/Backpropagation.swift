/// The reverse pass shared by `gradient`, `valueWithGradient` and `pullback`.
///
/// Walks the graph from `output` back to `targets` in decreasing creation order, which is
/// a topological order because an operation's inputs are always created before it. Only
/// nodes with a path to a target run their pullbacks. Targets are variables of this
/// differentiation; the walk stops at them, so nodes of enclosing differentiations are
/// left for those.
///
/// The pass records its own operations only when another differentiation encloses this
/// one (`RecordingContext.depth > 0`): that is when a gradient will be differentiated
/// again, and at top level it keeps first-order gradients free of graph bookkeeping.
func backpropagate(from output: Tensor, seed: Tensor, to targets: [Node]) -> [Tensor?] {
    precondition(
        seed.shape == output.shape,
        "pullback: cotangent shape \(seed.shape) does not match output shape \(output.shape)")
    guard let root = output.node else { return targets.map { _ in nil } }
    let targetIDs = Set(targets.map(\.id))

    // Nodes reachable from the root, not walking past targets.
    var nodes: [Int: Node] = [root.id: root]
    var stack = [root]
    while let node = stack.popLast() {
        if targetIDs.contains(node.id) { continue }
        for case let input? in node.inputs where nodes[input.id] == nil {
            nodes[input.id] = input
            stack.append(input)
        }
    }
    let ascending = nodes.values.sorted { $0.id < $1.id }

    // Which of them lead to a target (inputs come first in ascending order).
    var leadsToTarget = Set<Int>()
    for node in ascending {
        if targetIDs.contains(node.id)
            || node.inputs.contains(where: { $0.map { leadsToTarget.contains($0.id) } ?? false })
        {
            leadsToTarget.insert(node.id)
        }
    }
    guard leadsToTarget.contains(root.id) else { return targets.map { _ in nil } }

    let run = {
        var cotangents: [Int: Tensor] = [root.id: seed]
        var results: [Int: Tensor] = [:]
        for node in ascending.reversed() where leadsToTarget.contains(node.id) {
            guard let cotangent = cotangents.removeValue(forKey: node.id) else { continue }
            if targetIDs.contains(node.id) {
                results[node.id] = cotangent
                continue
            }
            let needed = node.inputs.map { $0.map { leadsToTarget.contains($0.id) } ?? false }
            let inputCotangents = node.pullback(cotangent, needed)
            for (index, input) in node.inputs.enumerated() where needed[index] {
                guard let input, let g = inputCotangents[index] else { continue }
                precondition(
                    g.shape == input.shape,
                    "autodiff: pullback of \(node.operation) gave shape \(g.shape) for an input of shape \(input.shape)"
                )
                if let existing = cotangents[input.id] {
                    cotangents[input.id] = existing + g
                } else {
                    cotangents[input.id] = g
                }
            }
        }
        return targets.map { results[$0.id] }
    }
    if RecordingContext.depth > 0 { return run() }
    return withoutRecording(run)
}

/// A fresh variable standing for `x` in one differentiation: an identity node linked to
/// `x`'s own node, so enclosing differentiations still see through it.
func makeVariable(_ x: Tensor) -> (Tensor, Node) {
    let node = Node(operation: "variable", inputs: [x.node], shape: x.shape) { g, _ in [g] }
    return (Tensor(shape: x.shape, storage: x.storage, node: node), node)
}

/// Evaluates `body` as the function being differentiated: recording on, one level deeper.
func evaluateDifferentiated<R>(_ body: () throws -> R) rethrows -> R {
    try RecordingContext.$isDisabled.withValue(false) {
        try RecordingContext.$depth.withValue(RecordingContext.depth + 1, operation: body)
    }
}
