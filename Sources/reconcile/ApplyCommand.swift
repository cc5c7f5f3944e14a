import Adapters
import ArgumentParser
import Controller
import Planner

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the gateway match the desired state.",
        discussion: """
            Validates the new files with Caddy and Compose, backs up what it replaces, writes atomically, then loads the
            Caddyfile through Caddy's admin API, brings up only the compose services the plan names, restarts Home Assistant
            when its trust settings changed, and probes every host through Caddy. Any failure after the first write puts the
            old files and config back. With a remote --repo, it first fetches the branch, and afterwards commits the status
            report to the status branch. Exit status: 0 applied or already in sync, 1 on error or rollback.
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
