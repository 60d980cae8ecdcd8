// Broadcasting and its adjoint, summation back to a shape. Each is the other's derivative.

extension Tensor {
    /// `self` repeated along axes of extent 1 (and new leading axes) to `shape`.
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        precondition(
            Shape.broadcasts(self.shape, to: shape),
            "broadcast(to:): shape \(self.shape) does not broadcast to \(shape)")
        let source = self
        return Tensor.record(CopyKernel.broadcast(self, to: shape), operation: "broadcast", input: self) { g in
            g.sum(toShape: source.shape)
        }
    }

    /// Sum of `self` over the axes that broadcasting to `self.shape` would have repeated:
    /// the adjoint of `broadcast(to:)`.
    public func sum(toShape shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        precondition(
            Shape.broadcasts(shape, to: self.shape),
            "sum(toShape:): shape \(shape) does not broadcast to \(self.shape)")
        let offset = rank - shape.count
        let axes = (0..<rank).filter { $0 < offset || (shape[$0 - offset] == 1 && self.shape[$0] != 1) }
        let summed = ReduceKernel.sum(self, axes: axes)
        let y = Tensor(shape: shape, storage: summed.storage)
        let sourceShape = self.shape
        return Tensor.record(y, operation: "sumToShape", input: self) { g in g.broadcast(to: sourceShape) }
    }
}
