import Adapters
import ArgumentParser
import Controller
import Planner

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the gateway match the desired state.",
        discussion: """
            Validates the new files with Caddy and Compose, backs up what it replaces, writes atomically, then \
            activates them in order: Caddy loads the new Caddyfile (--caddy auto: through its admin API when that \
            answers, else with its own CLI in its container through the engine), Compose brings up only the \
            services the plan names, and Home Assistant restarts when its trust settings changed. Then it probes \
            every host through Caddy. Any failure after the first write puts the old files and config back. With a \
            remote --repo, it first fetches the branch, and afterwards commits the status report to the status \
            branch.

            Exit status: 0 applied or already in sync; 1 an error (nothing written, or rolled back: the old state \
            is live again); 4 the apply failed and so did its rollback: a person must act (the output says what); \
            75 the git remote did not answer within --git-timeout (a timer or supervisor retries).
            """)


    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var runtime: RuntimeOptions

    @Flag(name: .customLong("no-publish-status"), help: "Remote repo: keep the status report in the state dir only; push nothing.")
    var noPublishStatus = false

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another reconcile to finish.")
    var lockTimeout: Double = ReconcileLock.defaultTimeout

    func run() throws {
        let settings: ReconcileSettings
        let runtimeSettings: RuntimeSettings?
        let lock: ReconcileLock
        do {
            let resolved = try gateway.resolve(runtime.layer, engine: runtime.engine)
            settings = resolved.reconcile
            runtimeSettings = resolved.runtime
        } catch {
            report(error)
            throw ReconcileExit.failure
        }
        do {
            lock = try ReconcileLock(stateDir: settings.paths.stateDir, timeout: lockTimeout)
        } catch {
            report(.lock(error))
            throw ReconcileExit.failure
        }
        defer { withExtendedLifetime(lock) {} }
        var options = ReconcileCycle.Options(mode: .apply(runtimeSettings), report: true, publish: !noPublishStatus)
        options.homeAssistantStopped = runtime.haStopped
        let result = ReconcileCycle.run(settings, options: options)
        CycleOutput.print(result, settings: settings, output: output.format, isApply: true)
        if result.error != nil || result.reportError != nil { throw ReconcileExit.code(for: result.error) }
    }
}
