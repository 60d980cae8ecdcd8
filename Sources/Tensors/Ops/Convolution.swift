// 2-D convolution (cross-correlation, NCHW input, OIHW weight), its two adjoints, and the
// transposed convolution built on the input adjoint.
// The three oneDNN passes are each other's derivatives, so the set is closed:
//   y  = conv(x, w)            dx = convBackwardData(dy, w)     dw = convBackwardWeights(x, dy)
//   convBackwardData(d, w):    d/dd → conv(·, w),               d/dw → convBackwardWeights(·, d)
//   convBackwardWeights(x, d): d/dx → convBackwardData(d, ·),   d/dd → conv(x, ·)

/// What follows a convolution inside the same kernel.
public enum ConvolutionActivation: Sendable, Equatable {
    /// Nothing: the convolution's output as it is.
    case identity
    /// LeakyReLU with this negative slope (0 ≤ α ≤ 1), fused into the convolution.
    case leakyReLU(negativeSlope: Float)
}

/// 2-D convolution of `input` [N, C, H, W] with `weight` [O, C, kH, kW], plus an optional
/// per-channel `bias` [O]; square `stride`, symmetric zero `padding`; optionally followed
/// by a fused `activation`, which equals applying it afterwards but saves a pass.
public func conv2d(
    _ input: Tensor, _ weight: Tensor, bias: Tensor? = nil,
    stride: Int = 1, padding: Int = 0, activation: ConvolutionActivation = .identity
) -> Tensor {
    let g = convolutionGeometry(input.shape, weight.shape, stride: stride, padding: padding, op: "conv2d")
    if let bias {
        precondition(
            bias.shape == [g.outChannels],
            "conv2d: bias shape \(bias.shape) does not match weight shape \(weight.shape) (expected [\(g.outChannels)])"
        )
    }
    var slope: Float?
    if case .leakyReLU(let alpha) = activation {
        precondition(alpha >= 0 && alpha <= 1, "conv2d: LeakyReLU slope \(alpha) is outside [0, 1]")
        slope = alpha
    }
    let out = Tensor.uninitialized(g.outputShape)
    ConvolutionKernel.forward(g, input: input, weight: weight, bias: bias, leakyReLUSlope: slope, output: out)
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return Tensor.record(out, operation: "conv2d", inputs: inputs) { cotangent, needed in
        // The first layer of a grey-scale model, differentiated in its input alone (an SGLD
        // step's gradient): one pass over the blocked cotangent instead of three. Only at top
        // level, where the result is not differentiated again.
        if needed[0], !needed.dropFirst().contains(true), !RecordingContext.isRecording,
            let dx = SingleChannelGradientKernel.inputGradient(
                g, outputGradient: cotangent, output: out, slope: slope,
                weight: weight)
        {
            return [dx] + needed.dropFirst().map { _ in nil }
        }
        // LeakyReLU keeps the sign, so its slope can be read off the output.
        let dy = slope.map { cotangent.scaledByLeakyReLUSlope(at: out, negativeSlope: $0) } ?? cotangent
        // At top level (nothing recorded) one oneDNN pass gives both weight and bias
        // gradients; inside a nested differentiation they must stay differentiable ops.
        if let bias, needed[1], needed[2], !RecordingContext.isRecording {
            let dw = Tensor.uninitialized(g.weightShape)
            let db = Tensor.uninitialized(bias.shape)
            ConvolutionKernel.backwardWeights(g, input: input, outputGradient: dy, weightGradient: dw, biasGradient: db)
            return [needed[0] ? convolutionBackwardData(dy, weight, geometry: g) : nil, dw, db]
        }
        var result: [Tensor?] = [
            needed[0] ? convolutionBackwardData(dy, weight, geometry: g) : nil,
            needed[1] ? convolutionBackwardWeights(input, dy, geometry: g) : nil,
        ]
        if bias != nil { result.append(needed[2] ? dy.sum(squeezingAxes: [0, 2, 3]) : nil) }
        return result
    }
}

/// The adjoint of `conv2d` in its input: maps an output-shaped cotangent to input shape.
func convolutionBackwardData(_ outputGradient: Tensor, _ weight: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
    precondition(
        outputGradient.shape == g.outputShape && weight.shape == g.weightShape,
        "conv2d backward-data: shapes \(outputGradient.shape) and \(weight.shape) do not match \(g)")
    let out = Tensor.uninitialized(g.inputShape)
    ConvolutionKernel.backwardData(g, outputGradient: outputGradient, weight: weight, inputGradient: out)
    return Tensor.record(out, operation: "conv2dBackwardData", inputs: [outputGradient, weight]) { c, needed in
        [
            needed[0] ? conv2d(c, weight, stride: g.stride, padding: g.padding) : nil,
            needed[1] ? convolutionBackwardWeights(c, outputGradient, geometry: g) : nil,
        ]
    }
}

/// The adjoint of `conv2d` in its weight: maps an output-shaped cotangent to weight shape.
func convolutionBackwardWeights(_ input: Tensor, _ outputGradient: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
    precondition(
        input.shape == g.inputShape && outputGradient.shape == g.outputShape,
        "conv2d backward-weights: shapes \(input.shape) and \(outputGradient.shape) do not match \(g)")
    let out = Tensor.uninitialized(g.weightShape)
    ConvolutionKernel.backwardWeights(g, input: input, outputGradient: outputGradient, weightGradient: out)
    return Tensor.record(out, operation: "conv2dBackwardWeights", inputs: [input, outputGradient]) { c, needed in
        [
            needed[0] ? convolutionBackwardData(outputGradient, c, geometry: g) : nil,
            needed[1] ? conv2d(input, c, stride: g.stride, padding: g.padding) : nil,
        ]
    }
}

/// Checks and collects the sizes of a convolution.
func convolutionGeometry(_ x: [Int], _ w: [Int], stride: Int, padding: Int, op: String) -> ConvolutionGeometry {
    precondition(
        x.count == 4 && w.count == 4,
        "\(op): needs input [N, C, H, W] and weight [O, C, kH, kW], got shapes \(x) and \(w)")
    precondition(x[1] == w[1], "\(op): input shape \(x) has \(x[1]) channels but weight shape \(w) expects \(w[1])")
    precondition(stride >= 1 && padding >= 0, "\(op): stride \(stride) and padding \(padding) must be ≥ 1 and ≥ 0")
    precondition(
        x[2] + 2 * padding >= w[2] && x[3] + 2 * padding >= w[3],
        "\(op): kernel of weight shape \(w) is larger than padded input shape \(x)")
    return ConvolutionGeometry(
        batch: x[0], inChannels: x[1], height: x[2], width: x[3],
        outChannels: w[0], kernelHeight: w[2], kernelWidth: w[3],
        stride: stride, padding: padding)
}

/// Transposed 2-D convolution (PyTorch's `conv_transpose2d`): `input` [N, C_in, H, W] with
/// `weight` [C_in, C_out, kH, kW] (PyTorch's layout) gives [N, C_out, H_out, W_out] with
/// H_out = (H − 1)·stride − 2·padding + kH + outputPadding. It is the input-adjoint of the
/// convolution that maps C_out channels of size H_out back to C_in channels of size H, so
/// it runs as that convolution's backward-data pass and inherits its derivatives to every
/// order; the optional `bias` [C_out] is added per channel.
public func convTranspose2d(
    _ input: Tensor, _ weight: Tensor, bias: Tensor? = nil,
    stride: Int = 1, padding: Int = 0, outputPadding: Int = 0
) -> Tensor {
    precondition(
        input.shape.count == 4 && weight.shape.count == 4,
        "convTranspose2d: needs input [N, C_in, H, W] and weight [C_in, C_out, kH, kW], got shapes \(input.shape) and \(weight.shape)"
    )
    precondition(
        input.shape[1] == weight.shape[0],
        "convTranspose2d: input shape \(input.shape) has \(input.shape[1]) channels but weight shape \(weight.shape) expects \(weight.shape[0])"
    )
    precondition(
        stride >= 1 && padding >= 0 && (0..<stride).contains(outputPadding),
        "convTranspose2d: stride \(stride) must be ≥ 1, padding \(padding) ≥ 0 and output padding \(outputPadding) in 0..<stride"
    )
    let outputHeight = (input.shape[2] - 1) * stride - 2 * padding + weight.shape[2] + outputPadding
    let outputWidth = (input.shape[3] - 1) * stride - 2 * padding + weight.shape[3] + outputPadding
    precondition(
        outputHeight >= 1 && outputWidth >= 1,
        "convTranspose2d: padding \(padding) leaves no output for input shape \(input.shape) and weight shape \(weight.shape)"
    )
    let g = convolutionGeometry(
        [input.shape[0], weight.shape[1], outputHeight, outputWidth], weight.shape,
        stride: stride, padding: padding, op: "convTranspose2d")
    let output = convolutionBackwardData(input, weight, geometry: g)
    guard let bias else { return output }
    precondition(
        bias.shape == [weight.shape[1]],
        "convTranspose2d: bias shape \(bias.shape) does not match weight shape \(weight.shape) (expected [\(weight.shape[1])])"
    )
    return output + bias.reshaped(to: [1, weight.shape[1], 1, 1])
}
