import Foundation
import TestSupport
import Testing

@testable import Runs

/// The named recipes in configs/ load, validate, and differ from their cross-entropy baseline
/// only in what makes them a joint model: the same model, data, schedule, epochs and augmentation.
@Suite struct RecipeConfigTests {
    static func load(_ name: String) throws -> RunConfiguration {
        try RunConfiguration(contentsOf: packageRoot.appendingPathComponent("configs/\(name).yaml")).validated()
    }

    @Test func everyRecipeLoadsAndSharesTheBaselinesBudget() throws {
        let ce = try Self.load("ce")
        #expect(ce.core.objective == .ce)
        for name in ["jem", "jem++", "sada-jem"] {
            let recipe = try Self.load(name)
            #expect(recipe.core.objective == .jem, "\(name)")
            #expect(recipe.core.model == ce.core.model && recipe.core.epochs == ce.core.epochs, "\(name)")
            #expect(recipe.core.learningRate == ce.core.learningRate && recipe.core.schedule == ce.core.schedule)
            #expect(recipe.core.warmupSteps == ce.core.warmupSteps && recipe.core.batchSize == ce.core.batchSize)
            #expect(recipe.data == ce.data, "\(name) augments differently from ce")
        }
        let jem = try Self.load("jem")
        #expect(jem.jem.bufferStart == .uniform && jem.jem.sgldRadius == nil && jem.details.sam == .none)
        let plus = try Self.load("jem++")
        #expect(plus.jem.bufferStart == .classGaussian && plus.jem.sgldRadius != nil && plus.jem.sgldClamp)
        let sada = try Self.load("sada-jem")
        #expect(sada.details.sam != .none && !sada.jem.marginalAugmentation)
        #expect(sada.jem.bufferStart == plus.jem.bufferStart && sada.jem.sgldRadius == plus.jem.sgldRadius)
    }
}
