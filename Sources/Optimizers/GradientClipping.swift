import Tensors

/// Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch's
/// `clip_grad_norm_`: coefficient maxNorm / (norm + 1e-6), capped at 1). Returns the norm
/// before clipping.
@discardableResult
public func clipGradientNorm(_ gradients: inout [Tensor], maxNorm: Float) -> Float {
    let norm = globalNorm(gradients)
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        gradients = withoutRecording { gradients.map { $0 * coefficient } }
    }
    return norm
}

/// √(Σ‖gᵢ‖²), accumulated in Double.
public func globalNorm(_ tensors: [Tensor]) -> Float {
    var total = 0.0
    for t in tensors {
        t.withUnsafeBufferPointer { for v in $0 { total += Double(v) * Double(v) } }
    }
    return Float(total.squareRoot())
}
