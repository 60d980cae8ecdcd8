// 2-D convolution (cross-correlation, NCHW input, OIHW weight) and its two adjoints.
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
public func conv2d(_ input: Tensor, _ weight: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, activation: ConvolutionActivation = .identity) -> Tensor {
    let g = convolutionGeometry(input.shape, weight.shape, stride: stride, padding: padding, op: "conv2d")
    if let bias {
        precondition(bias.shape == [g.outChannels],
                     "conv2d: bias shape \(bias.shape) does not match weight shape \(weight.shape) (expected [\(g.outChannels)])")
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
        // LeakyReLU keeps the sign, so its slope can be read off the output.
        let dy = slope.map { cotangent.scaledByLeakyReLUSlope(at: out, negativeSlope: $0) } ?? cotangent
        // At top level (nothing recorded) one oneDNN pass gives both weight and bias
        // gradients; inside a nested differentiation they must stay differentiable ops.
        if let bias, needed[1], needed[2], !RecordingContext.isRecording {
            let dw = Tensor.uninitialized(g.weightShape), db = Tensor.uninitialized(bias.shape)
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
    precondition(outputGradient.shape == g.outputShape && weight.shape == g.weightShape,
                 "conv2d backward-data: shapes \(outputGradient.shape) and \(weight.shape) do not match \(g)")
    let out = Tensor.uninitialized(g.inputShape)
    ConvolutionKernel.backwardData(g, outputGradient: outputGradient, weight: weight, inputGradient: out)
    return Tensor.record(out, operation: "conv2dBackwardData", inputs: [outputGradient, weight]) { c, needed in
        [needed[0] ? conv2d(c, weight, stride: g.stride, padding: g.padding) : nil,
         needed[1] ? convolutionBackwardWeights(c, outputGradient, geometry: g) : nil]
    }
}

/// The adjoint of `conv2d` in its weight: maps an output-shaped cotangent to weight shape.
func convolutionBackwardWeights(_ input: Tensor, _ outputGradient: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
    precondition(input.shape == g.inputShape && outputGradient.shape == g.outputShape,
                 "conv2d backward-weights: shapes \(input.shape) and \(outputGradient.shape) do not match \(g)")
    let out = Tensor.uninitialized(g.weightShape)
    ConvolutionKernel.backwardWeights(g, input: input, outputGradient: outputGradient, weightGradient: out)
    return Tensor.record(out, operation: "conv2dBackwardWeights", inputs: [input, outputGradient]) { c, needed in
        [needed[0] ? convolutionBackwardData(outputGradient, c, geometry: g) : nil,
         needed[1] ? conv2d(input, c, stride: g.stride, padding: g.padding) : nil]
    }
}

/// Checks and collects the sizes of a convolution.
func convolutionGeometry(_ x: [Int], _ w: [Int], stride: Int, padding: Int, op: String) -> ConvolutionGeometry {
    precondition(x.count == 4 && w.count == 4,
                 "\(op): needs input [N, C, H, W] and weight [O, C, kH, kW], got shapes \(x) and \(w)")
    precondition(x[1] == w[1], "\(op): input shape \(x) has \(x[1]) channels but weight shape \(w) expects \(w[1])")
    precondition(stride >= 1 && padding >= 0, "\(op): stride \(stride) and padding \(padding) must be ≥ 1 and ≥ 0")
    precondition(x[2] + 2 * padding >= w[2] && x[3] + 2 * padding >= w[3],
                 "\(op): kernel of weight shape \(w) is larger than padded input shape \(x)")
    return ConvolutionGeometry(batch: x[0], inChannels: x[1], height: x[2], width: x[3],
                               outChannels: w[0], kernelHeight: w[2], kernelWidth: w[3],
                               stride: stride, padding: padding)
}
