import ArgumentParser
import Foundation
import RunLog

/// `joule runs delete ID`: removes a run from the store and, with `--delete-files`, its own
/// folder — after listing what goes and asking.
struct RunsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a run from the store (and its folder, with --delete-files).",
        discussion: """
            Lists what will be deleted, then asks (on a terminal; elsewhere --yes confirms). --delete-files removes \
            the run's own folder (checkpoints, calibrators, samples) and nothing else: files the run recorded \
            outside it (a report, a sample grid written elsewhere) are listed and kept.
            """)

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run id (or a unique prefix).") var id: String
    @Flag(help: "Also delete the run's folder and everything in it.") var deleteFiles = false
    @Flag(name: [.customShort("y"), .long], help: "Delete without asking.") var yes = false
    @Flag(help: "Delete even a run that is still running.") var force = false

    func run() throws {
        try reportingErrors("runs delete") {
            let store = try options.openForWriting()
            let record = try store.run(id)
            if record.displayStatus() == "RUNNING" && !force {
                throw ValidationErrorText(
                    "run \(record.id) is still running (pid \(record.pid.map(String.init) ?? "?")); --force deletes it anyway"
                )
            }
            let plan = try RunDeletionPlan(record, in: store)
            if deleteFiles, let problem = plan.problem {
                throw ValidationErrorText(
                    "not deleted: \(problem); without --delete-files only the run's record is deleted")
            }
            print(plan.describe(deletingFiles: deleteFiles, storePath: store.path))
            guard try confirmed() else {
                print("nothing deleted")
                throw ExitCode(1)
            }
            // The run may have been resumed while the question waited.
            if try store.run(record.id).displayStatus() == "RUNNING" && !force {
                throw ValidationErrorText("run \(record.id) started running again; nothing deleted")
            }
            try plan.perform(deletingFiles: deleteFiles, in: store)
            print(
                "deleted run \(record.id)"
                    + (deleteFiles && plan.folderExists ? " and its folder \(plan.folder?.path ?? "")" : ""))
        }
    }

    /// `--yes`, or a "y" typed at the prompt on a terminal; refused elsewhere.
    private func confirmed() throws -> Bool {
        if yes { return true }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationErrorText("not deleted: standard input is not a terminal to ask on; pass --yes to confirm")
        }
        FileHandle.standardOutput.write(Data("Delete? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }
}
