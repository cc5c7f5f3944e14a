import Adapters
import ArgumentParser
import Controller
import Planner

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the gateway match the desired state.",
        discussion: """
            This version writes files only (--no-runtime): reloading Caddy and restarting services come with the apply engine.
            With a remote --repo, it first fetches the branch, and afterwards commits the status report to the status branch.
            """)

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("no-runtime"), help: "Write the planned files (after a backup) and touch no process, container or Caddy.")
    var noRuntime = false

    @Flag(name: .customLong("no-publish-status"), help: "Remote repo: keep the status report in the state dir only; push nothing.")
    var noPublishStatus = false

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another reconcile to finish.")
    var lockTimeout: Double = 30

    func validate() throws {
        guard noRuntime else {
            throw ValidationError("this version applies files only: pass --no-runtime (Caddy reload and restarts are not implemented yet)")
        }
    }

    func run() throws {
        let settings: ReconcileSettings
        let lock: ReconcileLock
        do {
            settings = try gateway.settings()
        } catch {
            report(error)
            throw ReconcileExit.failure
        }
        do {
            lock = try ReconcileLock(stateDir: settings.paths.stateDir, timeout: lockTimeout)
        } catch {
            report(.world(error.description))
            throw ReconcileExit.failure
        }
        defer { withExtendedLifetime(lock) {} }
        let result = ReconcileCycle.run(settings, options: .init(mode: .applyFiles, report: true, publish: !noPublishStatus))
        CycleOutput.print(result, settings: settings, output: output)
        if result.error != nil || result.reportError != nil { throw ReconcileExit.failure }
    }
}
