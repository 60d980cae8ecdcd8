import Foundation
import Tensors

/// Metropolis-adjusted Langevin (MALA): the Langevin proposal
/// x′ = x − η∇E(x) + √(2η) ε, accepted per sample with probability
/// min(1, exp(E(x) − E(x′) + log q(x | x′) − log q(x′ | x))), q(· | x) = N(x − η∇E(x), 2η I).
/// Exact for any η; reports its acceptance rate.
public struct MALA: Sendable, Equatable, Codable {
    /// The number of proposals per chain.
    public var steps: Int
    /// η: the Langevin step size; the proposal's noise has standard deviation √(2η).
    public var stepSize: Float

    /// MALA (Roberts & Tweedie 1996) with `steps` proposals of step size η > 0; traps otherwise.
    public init(steps: Int, stepSize: Float) {
        precondition(steps >= 0 && stepSize > 0, "MALA: steps must not be negative and the step size must be positive")
        self.steps = steps
        self.stepSize = stepSize
    }

    /// Runs the chains from `x`; returns the samples and the fraction of proposals accepted.
    public func run(from x: Tensor, energy: EnergyFunction, using generator: inout some RandomNumberGenerator)
        -> (samples: Tensor, acceptanceRate: Double)
    {
        var current = withoutDerivative(at: x)
        var (e, g) = energyAndGradient(energy, at: current)
        var accepted = 0
        var proposed = 0
        let eta = stepSize
        let scale = (2 * stepSize).squareRoot()
        for _ in 0..<steps {
            let mean = withoutRecording { current - eta * g }
            let proposal = withoutRecording { mean + scale * Tensor(randomNormal: current.shape, using: &generator) }
            let (eNew, gNew) = energyAndGradient(energy, at: proposal)
            let reverseMean = withoutRecording { proposal - eta * gNew }
            // log q(x′|x) − log q(x|x′), per sample, with the shared normaliser cancelled.
            let forward = squaredDistances(proposal, mean)
            let backward = squaredDistances(current, reverseMean)
            let energyOld = e.scalars
            let energyNew = eNew.scalars
            var accept = [Bool](repeating: false, count: forward.count)
            for i in accept.indices {
                let logRatio = Double(energyOld[i] - energyNew[i]) + (forward[i] - backward[i]) / (4 * Double(eta))
                accept[i] = logRatio >= 0 || Double.random(in: 0..<1, using: &generator) < Foundation.exp(logRatio)
            }
            accepted += accept.filter { $0 }.count
            proposed += accept.count
            current = selectingSamples(accept, proposal, current)
            e = selectingSamples(accept, eNew, e)
            g = selectingSamples(accept, gNew, g)
        }
        return (current, proposed > 0 ? Double(accepted) / Double(proposed) : 0)
    }
}

/// Random-walk Metropolis: x′ = x + s ε, accepted with probability min(1, exp(E(x) − E(x′))).
/// Needs no gradient.
public struct RandomWalkMetropolis: Sendable, Equatable, Codable {
    /// The number of proposals per chain.
    public var steps: Int
    /// s: the standard deviation of the Gaussian proposal step.
    public var proposalScale: Float

    /// Random-walk Metropolis (Metropolis et al. 1953) with `steps` proposals of scale s > 0; traps otherwise.
    public init(steps: Int, proposalScale: Float) {
        precondition(
            steps >= 0 && proposalScale > 0,
            "Metropolis: steps must not be negative and the proposal scale must be positive")
        self.steps = steps
        self.proposalScale = proposalScale
    }

    /// Runs the chains from `x`; returns the samples and the fraction of proposals accepted.
    public func run(from x: Tensor, energy: EnergyFunction, using generator: inout some RandomNumberGenerator)
        -> (samples: Tensor, acceptanceRate: Double)
    {
        withoutRecording {
            var current = withoutDerivative(at: x)
            var e = energy(current).scalars
            var accepted = 0
            var proposed = 0
            for _ in 0..<steps {
                let proposal = current + proposalScale * Tensor(randomNormal: current.shape, using: &generator)
                let eNew = energy(proposal).scalars
                var accept = [Bool](repeating: false, count: e.count)
                for i in accept.indices {
                    let logRatio = Double(e[i] - eNew[i])
                    accept[i] = logRatio >= 0 || Double.random(in: 0..<1, using: &generator) < Foundation.exp(logRatio)
                    if accept[i] { e[i] = eNew[i] }
                }
                accepted += accept.filter { $0 }.count
                proposed += accept.count
                current = selectingSamples(accept, proposal, current)
            }
            return (current, proposed > 0 ? Double(accepted) / Double(proposed) : 0)
        }
    }
}

/// Per sample of two batches [N, …]: Σ (a − b)², in Double.
func squaredDistances(_ a: Tensor, _ b: Tensor) -> [Double] {
    precondition(a.shape == b.shape, "squaredDistances: shapes \(a.shape) and \(b.shape) differ")
    let n = a.shape.first ?? 1
    let d = n == 0 ? 0 : a.scalarCount / n
    return a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            (0..<n).map { i in
                var s = 0.0
                for j in 0..<d {
                    let t = Double(pa[i * d + j] - pb[i * d + j])
                    s += t * t
                }
                return s
            }
        }
    }
}

/// Per sample i: `a`'s row where `take[i]`, else `b`'s.
func selectingSamples(_ take: [Bool], _ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(
        a.shape == b.shape && a.shape.first == take.count,
        "selectingSamples: shapes \(a.shape), \(b.shape) for \(take.count) choices")
    let d = take.isEmpty ? 0 : a.scalarCount / take.count
    return Tensor(shape: a.shape) { out in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in take.indices {
                    let source = take[i] ? pa : pb
                    for j in 0..<d { out[i * d + j] = source[i * d + j] }
                }
            }
        }
    }
}
