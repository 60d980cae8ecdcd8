import Crypto
import Foundation
import Runs

extension TrainingCheckpoint {
    /// SHA-256 (64 hex digits) of the model's tensors, names, shapes and values in order: what a fitted file
    /// records to be used only with the weights it was fitted on (a step count alone does not tell a resumed
    /// run's weights from a fresh one's).
    public var modelDigest: String {
        var hasher = SHA256()
        for (name, tensor) in modelTensors {
            hasher.update(data: Data("\(name):\(tensor.shape)\n".utf8))
            tensor.withUnsafeBufferPointer { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
