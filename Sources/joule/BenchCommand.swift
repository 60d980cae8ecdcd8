import ArgumentParser
import Foundation
import JouleBench
import Tensors

/// `joule bench`: times the engine on this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the engine: GEMM, model forward and input-gradient passes, elementwise, autodiff overhead."
    )

    @Flag(help: "Print one JSON object {\"results\": [...]} instead of a table.")
    var json = false

    @Option(help: "Run only benchmarks whose name contains this text.")
    var filter: String?

    @Option(help: "Minimum seconds of timing per benchmark.")
    var seconds: Double = 2

    func run() throws {
        #if DEBUG
            FileHandle.standardError.write(
                Data("warning: debug build; benchmark figures are meaningless (use -c release)\n".utf8))
        #endif
        let runner = BenchmarkRunner(minimumSeconds: seconds)
        // The cost-growth and wide-ResNet rows take minutes: only when the filter names them.
        let candidates: [Benchmark]
        if filter?.contains("growth") ?? false {
            candidates = CostGrowthBenchmarks.all()
        } else if filter?.contains("wrn") ?? false {
            candidates = WideResNetBenchmarks.all()
        } else {
            candidates =
                [MachinePeak.benchmark()] + EngineBenchmarks.all() + TrainingBenchmarks.all() + JEMBenchmarks.all()
                + LearnedSamplerBenchmarks.all() + ScoreMatchingBenchmarks.all() + ScoringBenchmarks.all()
        }
        let selected = candidates.filter { filter == nil || $0.name.contains(filter!) }
        if selected.isEmpty { throw ValidationError("no benchmark name contains '\(filter ?? "")'") }
        var results: [BenchmarkResult] = []
        if !json { print(BenchmarkReport.tableHeader()) }
        for benchmark in selected {
            let result = runner.run(benchmark)
            results.append(result)
            if !json { print(BenchmarkReport.tableRow(result)) }
        }
        if ProcessInfo.processInfo.environment["JOULE_PRINT_IMPLEMENTATIONS"] != nil {
            for line in Kernels.implementationReport() { print(line) }
        }
        if json {
            print(
                try BenchmarkReport.json(
                    results,
                    metadata: [
                        "threads": "\(Kernels.threadCount)", "loop_threads": "\(Kernels.loopThreads)",
                        "openblas_core": OpenBLASSetup.core,
                        "onednn": Kernels.oneDNNVersion,
                    ]))
        }
    }
}
