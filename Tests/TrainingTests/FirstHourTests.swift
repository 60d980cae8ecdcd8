import Datasets
import Foundation
import RunLog
import Testing

/// A new user's first hour (issue 22), end to end through the `joule` executable: no
/// measurement deletes another, `runs delete` touches only the run's folder and asks, one
/// rule says where runs live and every printed hint runs when pasted, failed starts leave
/// no run behind and caps are recorded, and the command line's basics.
@Suite(.serialized) struct FirstHourTests {
    typealias CLI = TrainCommandTests

    /// A folder with the tiny image set (3 classes) and a store at `checkpoints/runs.sqlite`.
    static func project() throws -> URL { try CLI.makeFolder() }

    /// Trains a tiny mlp in `root` (the default store) for `steps`; its id.
    static func train(in root: URL, steps: Int = 30, extra: [String] = []) throws -> String {
        let trained = try CLI.joule(
            [
                "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
                "--batch-size", "8", "--validation-size", "12", "--steps", String(steps), "--lr", "0.01",
                "--json",
            ] + extra, in: root)
        #expect(trained.status == 0, "stderr: \(trained.error)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.output.utf8)) as? [String: Any])
        return try #require(summary["run_id"] as? String)
    }

    static func store(_ root: URL) throws -> RunStore {
        try RunStore(path: root.appendingPathComponent("checkpoints/runs.sqlite").path, readOnly: true)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: 1. Nothing a user measured is deleted by another measurement.

    @Test(.enabled(if: CLI.executable != nil)) func aQuickEvaluationKeepsTheFullOne() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let runID = try Self.train(in: root)
        let odd = try EvaluateCommandTests.userFolder(in: root)
        let full = try CLI.joule(
            ["evaluate", runID, "--ood", "uniform,png:\(odd.path)", "--synthetic-count", "40"], in: root)
        #expect(full.status == 0, "\(full.error)")
        let quick = try CLI.joule(
            ["evaluate", runID, "--ood", "uniform", "--limit", "5", "--synthetic-count", "10"], in: root)
        #expect(quick.status == 0, "\(quick.error)")

        let store = try Self.store(root)
        let measurements = try store.measurements(of: runID)
        #expect(measurements.map(\.inCount) == [12, 5] && measurements.allSatisfy { $0.kind == .evaluation })
        let (first, second) = (measurements[0].id, measurements[1].id)
        // The user's folder is still measured (by the first), the validation set by the newest.
        let values = try store.evaluations(of: runID)
        #expect(
            values.contains { $0.dataset == "png:\(odd.path)" && $0.metric == "auroc" && $0.measurementID == first })
        #expect(values.first { $0.dataset == "validation" && $0.metric == "accuracy" }?.measurementID == second)
        let samples = try store.sampleScores(of: runID)
        #expect(samples.filter { $0.dataset == "png:\(odd.path)" && $0.score == "log-px" }.count == 4)
        #expect(samples.filter { $0.dataset == "validation" && $0.score == "log-px" }.count == 5)

        // show: every number with n and the checkpoint; an earlier measurement on request.
        let shown = try Self.json(try CLI.joule(["runs", "show", runID, "--json"], in: root).output)
        let shownValues = try #require(shown["evaluations"] as? [[String: Any]])
        let oddAUROC = try #require(
            shownValues.first { $0["dataset"] as? String == "png:\(odd.path)" && $0["metric"] as? String == "auroc" })
        #expect(
            oddAUROC["n"] as? Int == 12 && oddAUROC["out_count"] as? Int == 4
                && oddAUROC["measurement"] as? Int == first)
        // The best checkpoint's step: that of the best validation accuracy.
        let step = try #require(measurements[0].checkpointStep)
        #expect(
            (oddAUROC["checkpoint"] as? String)?.hasSuffix("/\(runID)/best.safetensors") == true
                && oddAUROC["checkpoint_step"] as? Int == step)
        let text = try CLI.joule(["runs", "show", runID], in: root).output
        #expect(text.contains("n 5 in / 10 out · best.safetensors @ step \(step) · #\(second)"))
        let earlier = try Self.json(
            try CLI.joule(["runs", "show", runID, "--evaluation", String(first), "--json"], in: root).output)
        let earlierAccuracy = (earlier["evaluations"] as? [[String: Any]])?.first {
            $0["metric"] as? String == "accuracy"
        }
        #expect(earlierAccuracy?["n"] as? Int == 12)

        // export-scores and compare follow the same rule.
        let csv = root.appendingPathComponent("out/scores.csv")
        #expect(try CLI.joule(["runs", "export-scores", runID, "--out", csv.path], in: root).status == 0)
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + 5 + 10 + 4)
        #expect(
            lines.contains {
                $0.hasPrefix("png:\(odd.path),3,,") && $0.contains(",\(first),best.safetensors @ step \(step),")
            })
        let allOfFirst = try CLI.joule(
            ["runs", "export-scores", runID, "--evaluation", String(first), "--out", csv.path], in: root)
        #expect(allOfFirst.status == 0)
        #expect(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count == 1 + 12 + 40 + 4)

        // The report says how many images each number is from.
        let report = root.appendingPathComponent("report.html")
        #expect(try CLI.joule(["report", runID, "--out", report.path], in: root).status == 0)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(
            html.contains("AUROC png:\(odd.path)") && html.contains("n 12/4 · best@\(step)")
                && html.contains("n 5 · best@\(step)"))
    }

    // MARK: 6. The report is a decision page.

    @Test(.enabled(if: CLI.executable != nil)) func theReportOfSixRunsDecides() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        // An OOD folder of 40 images: enough for an inverted score to stand out from chance.
        let odd = root.appendingPathComponent("odd")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        for i in 0..<40 {
            try PNGWriter.write(
                (0..<64).map { UInt8(($0 * 31 + i * 7) % 256) }, width: 8, height: 8, channels: 1,
                to: odd.appendingPathComponent("\(i).png"))
        }
        let first = try Self.train(in: root)
        let second = try Self.train(in: root)  // alike: told apart by their ids
        let jem = try Self.train(
            in: root, steps: 12, extra: ["--objective", "jem", "--sgld-steps", "3", "--buffer-size", "30"])
        let named = try Self.train(in: root, steps: 12, extra: ["--name", "my baseline"])
        let toy = try CLI.joule(
            [
                "train", "--objective", "dsm", "--dataset", "toy:8gaussians", "--model", "energy-mlp-8", "--steps",
                "30",
                "--batch-size", "32", "--json",
            ], in: root)
        let dsm = try #require(try Self.json(toy.output)["run_id"] as? String)
        for run in [first, second, jem, named] {
            #expect(try CLI.joule(["calibrate", run], in: root).status == 0)
            #expect(
                try CLI.joule(
                    ["evaluate", run, "--ood", "uniform,png:\(odd.path)", "--synthetic-count", "40"], in: root
                ).status == 0)
        }
        #expect(try CLI.joule(["evaluate", dsm, "--checkpoint", "last"], in: root).status == 0)
        // A run whose loss every step counts as divergence fails at once: the report must say so first.
        let failing = try CLI.joule(
            [
                "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
                "--steps", "5", "--validation-size", "12", "--guard-loss-bound", "1e-9", "--guard-max-recoveries", "0",
                "--name", "diverged",
            ], in: root)
        #expect(failing.status == 1)
        let failed = try #require(
            try Self.store(root).runs(where: RunFilter.parse("attributes.name = 'diverged'")).first?.id)
        let report = root.appendingPathComponent("report.html")
        let written = try CLI.joule(["report", first, second, jem, named, dsm, failed, "--out", report.path], in: root)
        #expect(written.status == 0, "\(written.error)")
        let html = try String(contentsOf: report, encoding: .utf8)

        let headings = html.components(separatedBy: "<h2>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(headings.starts(with: ["Warnings", "Summary", "Training curves", "Calibration"]), "\(headings)")
        // Readable labels, told apart where they would collide.
        let images = "png:" + root.appendingPathComponent("images").path
        for label in [
            "ce · mlp · \(images) · seed 1 (\(first.suffix(4)))", "ce · mlp · \(images) · seed 1 (\(second.suffix(4)))",
            "jem · mlp · \(images) · seed 1", "my baseline", "dsm · energy-mlp-8 · toy:8gaussians · seed 1",
        ] {
            #expect(html.contains(label), "missing label \(label)")
        }
        // The summary's numbers say what they stand on; the long tables and the other curves are folded.
        #expect(html.contains("AUROC png:\(odd.path)") && html.contains("n 12/40 · best@"))
        #expect(html.contains("<h3>train/loss (classifiers)</h3>") && html.contains("Every metric logged"))
        for section in ["evaluations", "measurements", "configuration", "details"] {
            let start = try #require(html.range(of: "<section id=\"\(section)\">"))
            let end = try #require(html[start.upperBound...].range(of: "</section>"))
            let body = html[start.upperBound..<end.lowerBound]
            #expect(body.contains("<details>"), "\(section) is not folded")
        }
        let warnings = try #require(html.range(of: "<ul class=\"warnings\">"))
        #expect(html[warnings.upperBound...].prefix(600).contains("diverged</strong>: the run is FAILED"))
        // In a 1400×900 window it fits in five screens (when Chromium is here to measure it).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
            let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let checked = try Self.run(
                packageRoot.appendingPathComponent("scripts/check-report.sh").path,
                [report.path, "--width", "1400", "--max-screens", "5"], in: root)
            #expect(checked.status == 0, "\(checked.output)")
        }
    }

    // MARK: 2. runs delete touches only the run's folder, after listing it and asking.

    @Test(.enabled(if: CLI.executable != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func deleteListsAsksAndKeepsFilesOutsideTheRun() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let runID = try Self.train(in: root)
        #expect(try CLI.joule(["calibrate", runID], in: root).status == 0)
        let grid = root.appendingPathComponent("mine/grid.png")
        let report = root.appendingPathComponent("mine/report.html")
        #expect(
            try CLI.joule(
                ["sample", runID, "--from", "noise", "--steps", "1", "--count", "4", "--out", grid.path], in: root
            ).status == 0)
        #expect(try CLI.joule(["report", runID, "--out", report.path], in: root).status == 0)
        let folder = root.appendingPathComponent("checkpoints/\(runID)")

        // Not on a terminal and not confirmed: listed, nothing deleted.
        let refused = try CLI.joule(["runs", "delete", runID, "--delete-files"], in: root)
        #expect(refused.status == 1 && refused.error.contains("--yes"))
        #expect(
            refused.output.contains("its folder \(folder.path) will be deleted")
                && refused.output.contains("best.calibrator.v1.json"))
        #expect(
            refused.output.contains("kept, outside the run's folder:") && refused.output.contains(grid.path)
                && refused.output.contains(report.path))
        #expect(FileManager.default.fileExists(atPath: folder.path) && (try? Self.store(root).run(runID)) != nil)

        // On a terminal it asks: "n" keeps everything, "y" deletes the folder and the record.
        let joule = try #require(CLI.executable).path
        func answer(_ reply: String) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "\(joule) runs delete \(runID) --delete-files", "/dev/null"]
            process.currentDirectoryURL = root
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data("\(reply)\n".utf8))
            let text = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: text, as: UTF8.self))
        }
        let no = try answer("n")
        #expect(
            no.status == 1 && no.output.contains("Delete? [y/N]") && no.output.contains("nothing deleted"),
            "\(no.output)")
        #expect(FileManager.default.fileExists(atPath: folder.path))
        let yes = try answer("y")
        #expect(yes.status == 0 && yes.output.contains("deleted run \(runID) and its folder"), "\(yes.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(
            FileManager.default.fileExists(atPath: grid.path) && FileManager.default.fileExists(atPath: report.path))
        #expect(throws: RunStoreError.self) { try Self.store(root).run(runID) }
        // No empty folder is left behind: the checkpoints folder holds the store alone.
        let left = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("checkpoints").path)
        #expect(left.allSatisfy { $0.hasPrefix("runs.sqlite") }, "\(left)")
    }

    // MARK: 3. One rule for where runs live; hints that work when pasted.

    @Test(.enabled(if: CLI.executable != nil)) func runsLiveInOnePlaceAndHintsRunWhenPasted() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let elsewhere = root.appendingPathComponent("elsewhere/ck").path
        let images = "png:" + root.appendingPathComponent("images").path
        let process = try CLI.process(
            [
                "train", "--dataset", images, "--model", "mlp", "--batch-size", "8", "--validation-size", "12",
                "--steps", "400", "--checkpoint-dir", elsewhere,
            ], in: root)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let database = root.appendingPathComponent("checkpoints/runs.sqlite").path
        let started = try RunsCommandTests.waitUntil {
            guard let store = try? RunStore(path: database, readOnly: true), let run = try? store.runs().first else {
                return false
            }
            return (try? store.metricRowCount(of: run.id)) ?? 0 > 20
        }
        #expect(started, "no run in \(database)")
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        // It said where it records, and not in the checkpoint folder.
        #expect(stderr.contains("recorded in \(database)") && stderr.contains("files in \(elsewhere)/"))
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/runs.sqlite"))
        let listed = try CLI.joule(["runs", "list", "--json"], in: root)
        #expect(listed.status == 0 && listed.output.contains("\"folder\" : \"\(elsewhere)/"), "\(listed.error)")

        // The resume hint runs as printed, from the same folder, without --checkpoint-dir.
        let hint = try #require(stderr.split(separator: "\n").first { $0.contains("resume with: ") })
        let resume = String(hint[hint.range(of: "resume with: ")!.upperBound...])
        #expect(!resume.contains("--checkpoint-dir"))
        let resumed = try Self.shell(resume, in: root)
        #expect(resumed.status == 0, "\(resume): \(resumed.output)")
        let runID = try #require(try Self.store(root).runs().first?.id)
        #expect(try Self.store(root).run(runID).status == .finished)
        // So do the ones printed at the end of the run.
        let next = resumed.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let evaluate = try #require(next.first { $0.contains(" evaluate \(runID)") })
        #expect(try Self.shell(evaluate + " --ood uniform --synthetic-count 10", in: root).status == 0)
        let report = try #require(next.first { $0.contains(" report \(runID)") })
        #expect(
            try Self.shell(report, in: root).status == 0
                && FileManager.default.fileExists(atPath: root.path + "/report.html"))

        // $JOULE_RUNS_DB moves the store for every command alike.
        let moved = root.appendingPathComponent("shared.sqlite").path
        let trained = try CLI.joule(
            [
                "train", "--dataset", images, "--model", "mlp", "--batch-size", "8", "--validation-size", "12",
                "--steps", "3", "--json",
            ], in: root, environment: ["JOULE_RUNS_DB": moved])
        #expect(trained.status == 0 && trained.error.contains("recorded in \(moved)"))
        let list = try CLI.joule(["runs", "list", "--csv"], in: root, environment: ["JOULE_RUNS_DB": moved])
        #expect(list.output.split(separator: "\n").count == 2)
        // A store chosen by --runs-db is named in the hints.
        let named = try CLI.joule(
            [
                "train", "--dataset", images, "--model", "mlp", "--batch-size", "8", "--validation-size", "12",
                "--steps", "3", "--runs-db", moved,
            ], in: root)
        #expect(named.error.contains("evaluate ") && named.error.contains("--runs-db \(moved)"))
    }

    /// Runs `command` with /bin/sh in `directory`; exit status and everything it printed.
    static func shell(_ command: String, in directory: URL) throws -> (status: Int32, output: String) {
        try run("/bin/sh", ["-c", command], in: directory)
    }

    /// Runs `executable` with `arguments` in `directory`, without `$JOULE_RUNS_DB`; exit status
    /// and everything it printed.
    static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["JOULE_RUNS_DB"] = nil
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    // MARK: 4. Failed starts fail cleanly; caps and changes are recorded.

    @Test(.enabled(if: CLI.executable != nil)) func badDataLeavesNoRunBehind() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty")
        let fake = root.appendingPathComponent("fake")
        let one = root.appendingPathComponent("one")
        let mixed = root.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        for folder in ["a", "b"] {
            try FileManager.default.createDirectory(
                at: fake.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try Data("not a png".utf8).write(to: fake.appendingPathComponent("a/x.png"))
        try Data("not a png".utf8).write(to: fake.appendingPathComponent("b/y.png"))
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("images/dark"), to: one.appendingPathComponent("dark"))
        try FileManager.default.createDirectory(at: mixed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("images/dark"), to: mixed.appendingPathComponent("dark"))
        try FileManager.default.createDirectory(
            at: mixed.appendingPathComponent("red"), withIntermediateDirectories: true)
        for i in 0..<20 {
            try PNGWriter.write(
                (0..<192).map { UInt8(($0 * 5 + i) % 256) }, width: 8, height: 8, channels: 3,
                to: mixed.appendingPathComponent("red/\(i).png"))
        }
        let cases: [(String, String)] = [
            ("fashion-mnst", "'fashion-mnst' is invalid for '--dataset <dataset>': expected fashion-mnist, png:FOLDER"),
            ("png:" + empty.path, "no class subfolders"),
            ("png:" + root.appendingPathComponent("missing").path, root.appendingPathComponent("missing").path),
            ("png:" + fake.path, "x.png"),
            ("png:" + one.path, "has 1 class ('dark'); a classifier needs at least two"),
            ("png:" + mixed.path, "mixes colour and grey images"),
        ]
        for (dataset, message) in cases {
            let result = try CLI.joule(
                ["train", "--dataset", dataset, "--model", "mlp", "--steps", "2", "--validation-size", "4"], in: root)
            // 64 (a usage error) for a name that is no dataset, 1 for data that cannot be used.
            let status: Int32 = dataset == "fashion-mnst" ? 64 : 1
            #expect(result.status == status && result.error.contains(message), "\(dataset): \(result.error)")
        }
        // No run was recorded, not even a failed one.
        let database = root.appendingPathComponent("checkpoints/runs.sqlite").path
        let recorded =
            FileManager.default.fileExists(atPath: database) ? try RunStore(path: database, readOnly: true).runs() : []
        #expect(recorded.isEmpty)

        // Mixed channels train once told how to read them, and the run records the choice.
        let rgb = try CLI.joule(
            [
                "train", "--dataset", "png:" + mixed.path, "--model", "mlp", "--steps", "2", "--validation-size", "4",
                "--channels", "3", "--json",
            ], in: root)
        #expect(rgb.status == 0, "\(rgb.error)")
        let rgbID = try #require(try Self.json(rgb.output)["run_id"] as? String)
        #expect(try Self.store(root).params(of: rgbID)["channels"] == "3")
    }

    @Test(.enabled(if: CLI.executable != nil)) func capsWarnAndTheStoreKeepsTheValuesUsed() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let images = "png:" + root.appendingPathComponent("images").path
        let capped = try CLI.joule(
            [
                "train", "--dataset", images, "--model", "mlp", "--steps", "2", "--validation-size", "1000",
                "--batch-size", "100000", "--json",
            ], in: root)
        #expect(capped.status == 0, "\(capped.error)")
        #expect(
            capped.error.contains(
                "warning: --validation-size 1000: the set has 60 training images and at most a fifth is held out"))
        #expect(capped.error.contains("warning: --batch-size 100000 is more than the 48 training examples"))
        let runID = try #require(try Self.json(capped.output)["run_id"] as? String)
        let params = try Self.store(root).params(of: runID)
        #expect(params["validation-size"] == "12" && params["batch-size"] == "48")

        // A resume that changes a setting records the new value and what changed.
        let first = try Self.train(in: root, steps: 6)
        let resumed = try CLI.joule(["train", "--resume", first, "--steps", "12", "--lr", "0.005"], in: root)
        #expect(
            resumed.status == 0
                && resumed.error.contains("resuming with changed settings: lr 0.01 → 0.005, steps 6 → 12"),
            "\(resumed.error)")
        let store = try Self.store(root)
        #expect(try store.params(of: first)["lr"] == "0.005" && store.params(of: first)["steps"] == "12")
        #expect(try store.tags(of: first)["changed-at-step-6"] == "lr 0.01 → 0.005, steps 6 → 12")
        let config = try #require(try store.run(first).config)
        #expect(config.contains("\"lr\":0.005") && config.contains("\"format\":2"))
    }

    // MARK: 5. The command line's basics.

    @Test(.enabled(if: CLI.executable != nil)) func versionIsFixedAtBuildTime() throws {
        let version = try CLI.joule(["--version"])
        #expect(version.status == 0)
        let code = version.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let commit = try Self.shell("git -C '\(packageRoot.path)' rev-parse --short=12 HEAD", in: packageRoot).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code.hasPrefix("joule \(commit)"), "\(code) against \(commit)")
        // A run trained from a folder that is no git checkout records the same version.
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let runID = try Self.train(in: root, steps: 2)
        #expect("joule " + (try Self.store(root).run(runID).codeVersion ?? "") == code)
    }

    @Test(.enabled(if: CLI.executable != nil)) func helpPutsCommonOptionsFirstWithTheirDefaultsOnce() throws {
        let help = try CLI.joule(["train", "--help"]).output
        let common = try #require(help.range(of: "COMMON OPTIONS:"))
        let jem = try #require(help.range(of: "JEM:"))
        #expect(common.lowerBound < jem.lowerBound)
        let firstOption = help[common.upperBound...].split(separator: "\n").first?.trimmingCharacters(in: .whitespaces)
        #expect(firstOption?.hasPrefix("--objective") == true)
        #expect(
            help.contains("Learning rate (default: 0.001)") && help.contains("SGLD steps per iteration (default: 20)"))
        // No option states its default twice.
        for command in [["train"], ["evaluate"], ["calibrate"], ["score"], ["sample"], ["runs", "list"]] {
            let text = try CLI.joule(command + ["--help"]).output
            var block = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  -") || !line.hasPrefix(" ") { block = "" }
                block += line
                #expect(block.components(separatedBy: "(default").count <= 2, "\(command): \(block)")
            }
        }
        #expect(try CLI.joule(["evaluate", "--help"]).output.contains("Calibration bins. (default: 15)"))
    }

    @Test(.enabled(if: CLI.executable != nil)) func negativeNumbersAndOutputPathsAndUnknownFields() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let negative = try CLI.joule(["train", "--steps", "-5"], in: root)
        #expect(
            negative.status != 0 && negative.error.contains("steps") && negative.error.contains("at least 1")
                && !negative.error.contains("Missing value"), "\(negative.error)")
        let runID = try Self.train(in: root, steps: 3)
        #expect(try CLI.joule(["evaluate", runID, "--ood", "uniform", "--synthetic-count", "8"], in: root).status == 0)
        // Every command that writes a file creates its folder.
        for (command, file) in [
            (["report", runID], "a/b/report.html"), (["runs", "export-scores", runID], "c/d/scores.csv"),
            (["sample", runID, "--from", "noise", "--steps", "1", "--count", "2"], "e/f/grid.png"),
        ] {
            let path = root.appendingPathComponent(file).path
            let result = try CLI.joule(command + ["--out", path], in: root)
            #expect(result.status == 0 && FileManager.default.fileExists(atPath: path), "\(command): \(result.error)")
        }
        let unwritable = try CLI.joule(["report", runID, "--out", "/etc/hostname/r.html"], in: root)
        #expect(
            unwritable.status == 1 && unwritable.error.contains("/etc/hostname is not a folder")
                && !unwritable.error.contains("NSCocoa"))
        // A field no run has warns, naming the closest fields some run has.
        let misspelt = try CLI.joule(["runs", "list", "--where", "metrics.validation/acc > 0.5"], in: root)
        #expect(
            misspelt.status == 0 && misspelt.error.contains("no run has metrics.validation/acc")
                && misspelt.error.contains("did you mean metrics.validation/accuracy"), "\(misspelt.error)")
        let known = try CLI.joule(["runs", "list", "--where", "params.lr < 1"], in: root)
        #expect(known.status == 0 && !known.error.contains("warning"))
    }

    @Test(.enabled(if: CLI.executable != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
    func theProgressBarFitsAnEightyColumnTerminal() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let joule = try #require(CLI.executable).path
        let done = root.appendingPathComponent("done")
        let socket = "joule-test-\(UUID().uuidString.prefix(8))"
        let command =
            "cd '\(root.path)' && '\(joule)' train --dataset png:images --model mlp --batch-size 1 --validation-size 12 "
            + "--steps 2000 --checkpoint-dir ck --runs-db ck/runs.sqlite; touch '\(done.path)'; sleep 120"
        // One shell drives tmux: the server it starts must not hold the pipe this test reads.
        let script = """
            tmux -L \(socket) new-session -d -x 80 -y 50 "$0" < /dev/null > /dev/null 2>&1 || exit 3
            for i in $(seq 1200); do [ -e '\(done.path)' ] && break; sleep 0.1; done
            tmux -L \(socket) capture-pane -p -S -300
            tmux -L \(socket) kill-server
            """
        let captured = try Self.run("/bin/sh", ["-c", script, command], in: root)
        #expect(captured.status == 0 && FileManager.default.fileExists(atPath: done.path), "\(captured.output)")
        let screen = captured.output
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("run ") && $0.contains("2000 steps") }, "\(screen)")
        // Every redraw replaced the one before: no bar, or a piece of one, is left on a line of its own.
        let leftovers = lines.filter {
            $0.contains("█") || $0.contains("·]") || $0.contains("it/s") || $0.contains("ETA")
        }
        #expect(leftovers.isEmpty, "\(screen)")
    }
    // More of 2 and 4: what delete refuses, and failures that must still say why.

    @Test(.enabled(if: CLI.executable != nil)) func deleteRefusesAFolderThatIsNotTheRunsOwn() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = root.appendingPathComponent("runs.sqlite").path
        let store = try RunStore(path: database)
        let real = root.appendingPathComponent("real")
        let outer = root.appendingPathComponent("ck/outer")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: outer.appendingPathComponent("inner"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: real.appendingPathComponent("precious.txt"))
        // A run whose folder is a link elsewhere, one whose folder holds another run's, one whose folder is misnamed.
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("ck/linked"), withDestinationURL: real)
        try store.createRun(NewRun(id: "linked", folder: root.appendingPathComponent("ck/linked").path))
        try store.createRun(NewRun(id: "outer", folder: outer.path))
        try store.createRun(NewRun(id: "inner", folder: outer.appendingPathComponent("inner").path))
        try store.createRun(NewRun(id: "misnamed", folder: real.path))
        for id in ["linked", "outer", "inner", "misnamed"] { try store.endRun(id: id, status: .finished) }
        let cases = [
            ("linked", "is a link to \(real.path)"), ("outer", "holds the folder of run inner"),
            ("misnamed", "is not the run's own"),
        ]
        for (id, message) in cases {
            let result = try CLI.joule(
                ["runs", "delete", id, "--delete-files", "--yes", "--runs-db", database], in: root)
            #expect(result.status == 1 && result.error.contains(message), "\(id): \(result.error)")
            #expect((try? store.run(id)) != nil)
        }
        #expect(FileManager.default.fileExists(atPath: real.appendingPathComponent("precious.txt").path))
        // Without --delete-files the record goes and every file stays.
        let record = try CLI.joule(["runs", "delete", "linked", "--yes", "--runs-db", database], in: root)
        #expect(record.status == 0 && record.output.contains("nothing on disk is deleted"), "\(record.output)")
        #expect(FileManager.default.fileExists(atPath: real.appendingPathComponent("precious.txt").path))
    }

    @Test(.enabled(if: CLI.executable != nil)) func failuresSayWhyAndLooseCheckpointsKeepTheirFolder() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let images = "png:" + root.appendingPathComponent("images").path
        // A dry run records nothing, but its failure is still explained.
        let dry = try CLI.joule(
            [
                "train", "--dataset", images, "--model", "mlp", "--validation-size", "12", "--dry-run",
                "--guard-loss-bound", "1e-9", "--guard-max-recoveries", "0",
            ], in: root)
        #expect(dry.status == 1 && dry.error.contains("joule train: ") && dry.error.contains("diverg"), "\(dry.error)")
        // A checkpoint copied out of its run's folder resumes into the run's own checkpoint folder.
        let runID = try Self.train(in: root, steps: 6)
        let loose = root.appendingPathComponent("copy.safetensors")
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("checkpoints/\(runID)/last.safetensors"), to: loose)
        let resumed = try CLI.joule(["train", "--resume", loose.path, "--steps", "8"], in: root)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.error.contains("files in \(root.appendingPathComponent("checkpoints/\(runID)").path)"))
        #expect(resumed.error.contains("resuming with changed settings: steps 6 → 8\n"), "\(resumed.error)")
    }
}
