import Adapters
import ArgumentParser
import Controller
import Planner
#if canImport(Glibc)
import Glibc
#endif

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what differs between the desired state and the gateway, and what apply would do.",
        discussion: """
            What could not be reached (Caddy, the Docker engine) is one line each; --verbose says why, and what \
            Home Assistant will do at its next start.

            Exit status: 0 the gateway matches; 2 changes are pending; 1 an error; 75 the git remote did not \
            answer within --git-timeout (a timer or supervisor retries).
            """)

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var engine: PlanEngineOptions

    @Flag(name: .customLong("publish-status"), help: "Also render the status report (state dir) and, for a remote repo, commit it to the status branch, as the daemon does for its plans.")
    var publishStatus = false

    func run() throws {
        runPlan(PlanRequest(self))
    }
}

/// A plan run, to its exit status: the process ends here.
func runPlan(_ request: PlanRequest) -> Never {
    let resolved: ResolvedSettings
    do {
        resolved = try request.resolve()
    } catch {
        report(error)
        exit(ReconcileExit.failure.rawValue)
    }
    let settings = resolved.reconcile
    // A plan of a local folder reads only; a remote one moves the working clone, and a published one
    // writes the status: both take the lock like apply does.
    var lock: ReconcileLock?
    if settings.remote != nil || request.publishStatus {
        do {
            lock = try ReconcileLock(stateDir: settings.paths.stateDir)
        } catch {
            report(.lock(error))
            exit(ReconcileExit.failure.rawValue)
        }
    }
    let options = ReconcileCycle.Options(mode: .plan(compose: resolved.compose, caddy: resolved.caddy), report: request.publishStatus,
                                         publish: request.publishStatus)
    let result = ReconcileCycle.run(settings, options: options)
    CycleOutput.print(result, settings: settings, output: request.format)
    let status = result.error != nil || result.reportError != nil ? ReconcileExit.code(for: result.error)
        : result.plan?.hasChanges == true ? ReconcileExit.pending : .success
    // The lock is held to here (a `defer` would never run: `exit` does not return). The process ends now, so
    // the plan and its observation are not freed object by object: the kernel takes the memory back at once
    // (as clang's -disable-free does; 10% of a 1,000-service plan), and the lock with it.
    withExtendedLifetime(lock) {}
    exit(status.rawValue)
}

/// Whether the plan reads the compose engine's live state (drift: a stopped caddy, a stale container).
struct PlanEngineOptions: ParsableArguments {
    @Flag(name: .customLong("no-runtime"), help: "Plan from the files only; do not ask the Docker engine.")
    var noRuntime = false

    @Option(name: Described.name(\.compose), help: Described.help(\.compose)) var compose: ComposeClientSetting?
    @Option(name: Described.name(\.caddy), help: Described.help(\.caddy)) var caddy: CaddyWaySetting?
    @Option(name: Described.name(\.caddyAdmin), help: Described.help(\.caddyAdmin)) var caddyAdmin: String?

    /// These options as a layer of settings (see `GatewayOptions.layer`).
    var layer: SettingsFile {
        var layer = SettingsFile()
        (layer.compose, layer.caddy, layer.caddyAdmin) = (compose, caddy, caddyAdmin)
        return layer
    }

    func validate() throws {
        try Described.validate(layer, SettingsFile.table)
        try CaddyWaySetting.validate(caddy, admin: caddyAdmin)
    }
}
