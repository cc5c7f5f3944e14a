import Adapters
import ArgumentParser
import Controller
import EssentialsExtras
import FoundationEssentials
import StatusReport

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this gateway's last status report, or every gateway's from the status branch (--all).",
        discussion: "The local report is rewritten by every apply and carries the time of the last check; the status branch keeps one commit per change. Printed as text; status.md in the state dir holds it as Markdown, --json as JSON.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "Every gateway's report, read from the status branch of the remote --repo.")
    var all = false

    // The top-level command's own options: argument-parser gives a flag declared twice in one command chain
    // to the first declaration, so `--json` declared here on its own would never be set. (--diff is ignored.)
    @OptionGroup var output: OutputOptions

    var json: Bool { output.json }

    func run() throws {
        let settings: ReconcileSettings
        do {
            settings = try gateway.resolve(engine: .filesOnly).reconcile
        } catch {
            report(error)
            throw ReconcileExit.failure
        }
        let stateDir = settings.paths.stateDir
        guard all else {
            guard let report = StatusPublisher.loadLocal(stateDir: stateDir) else {
                printError("error: no status report in \(stateDir)/status yet: run `reconcile apply` first")
                throw ReconcileExit.failure
            }
            // A terminal reads text; status.md beside it is the same report in Markdown, for a Git forge.
            print(json ? String(decoding: StatusJSON.render(report), as: UTF8.self) : StatusText.render(report), terminator: "")
            return
        }
        guard let remote = settings.remote else {
            printError("error: --all reads the status branch of a remote: give --repo a URL (https://, ssh://, file://) or a bare repository")
            throw ReconcileExit.failure
        }
        let reports: [StatusReport]
        do {
            let lock = try ReconcileLock(stateDir: stateDir)
            defer { withExtendedLifetime(lock) {} }
            reports = try StatusPublisher.fleet(from: remote, statusBranch: settings.statusBranch, stateDir: stateDir)
        } catch let error as ReconcileError {
            report(error)
            throw ReconcileExit.failure
        } catch let error as FileError {
            report(.lock(error))
            throw ReconcileExit.failure
        } catch {
            report(.failed(.gitUnreachable, "\(error)"))
            throw ReconcileExit.failure
        }
        if json {
            let items = reports.map { String(decoding: StatusJSON.render($0), as: UTF8.self).trimmingScalars(where: \.isNewline) }
            print("[\n" + items.joined(separator: ",\n") + "\n]")
        } else {
            print(FleetStatus.render(reports), terminator: "")
        }
    }
}
