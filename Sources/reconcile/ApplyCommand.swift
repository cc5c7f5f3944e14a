import Adapters
import ArgumentParser
import Controller
import Planner

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the gateway match the desired state.",
        discussion: "This version writes files only (--no-runtime): reloading Caddy and restarting services come with the apply engine.")

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("no-runtime"), help: "Write the planned files (after a backup) and touch no process, container or Caddy.")
    var noRuntime = false

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
        do {
            let plan = try Observer.plan(settings)
            print(output.json ? PlanJSONRenderer.render(plan) : PlanTextRenderer.render(plan, diff: output.diff), terminator: "")
            guard plan.hasChanges else { return }
            let result = try Applier.applyFiles(plan, stateDir: settings.paths.stateDir)
            for path in result.written { print("wrote \(path)") }
            for path in result.backups { print("backup \(path)") }
            let restarts = plan.targets.flatMap(\.changes).flatMap(\.restarts)
            if !restarts.isEmpty {
                print("not done (--no-runtime): restart \(Set(restarts).sorted().joined(separator: ", ")) for the change to take effect")
            }
            if plan.targets.contains(where: { $0.kind == .caddyfile && $0.writesFile }) {
                print("not done (--no-runtime): reload Caddy to serve the new Caddyfile")
            }
        } catch {
            report(error)
            throw ReconcileExit.failure
        }
    }
}
