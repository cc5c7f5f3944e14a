import Adapters
import ArgumentParser
import Controller
import Planner

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what differs between the desired state and the gateway, and what apply would do.",
        discussion: "Exit status: 0 when the gateway matches, 2 when changes are pending, 1 on error.")

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("publish-status"), help: "Also render the status report (state dir) and, for a remote repo, commit it to the status branch, as the daemon does for its plans.")
    var publishStatus = false

    func run() throws {
        try runPlan(gateway: gateway, output: output, publishStatus: publishStatus)
    }
}

func runPlan(gateway: GatewayOptions, output: OutputOptions, publishStatus: Bool = false) throws {
    let settings: ReconcileSettings
    do {
        settings = try gateway.settings()
    } catch {
        report(error)
        throw ReconcileExit.failure
    }
    // A plan of a local folder reads only; a remote one moves the working clone, and a published one
    // writes the status: both take the lock like apply does.
    var lock: ReconcileLock?
    if settings.remote != nil || publishStatus {
        do {
            lock = try ReconcileLock(stateDir: settings.paths.stateDir)
        } catch {
            report(.world(error.description))
            throw ReconcileExit.failure
        }
    }
    defer { withExtendedLifetime(lock) {} }
    let result = ReconcileCycle.run(settings, options: .init(mode: .plan, report: publishStatus, publish: publishStatus))
    CycleOutput.print(result, settings: settings, output: output)
    if result.error != nil || result.reportError != nil { throw ReconcileExit.failure }
    if result.plan?.hasChanges == true { throw ReconcileExit.pending }
}
