import Adapters
import Compose
import Foundation
import Planner

/// One apply: the plan's program (`Plan.program`) interpreted against the gateway (`ApplyInterpreter`):
/// check, back up, write, activate, probe, and on a failure after the first change, the inverses of what
/// ran. `runtime == nil` is `--no-runtime`: files only, and the outcome lists what the user must do.
public struct ApplyEngine {
    public let settings: ReconcileSettings
    public let runtime: RuntimeSettings?

    public init(settings: ReconcileSettings, runtime: RuntimeSettings?) {
        self.settings = settings
        self.runtime = runtime
    }

    /// Observes, plans and applies.
    public func run() throws(ReconcileError) -> ApplyOutcome {
        let inputs = try Observer.observe(settings)
        return try apply(inputs: inputs, filesOnly: try Observer.plan(inputs))
    }

    /// Applies from what a caller already observed and planned from the files. Throws only before the
    /// first write (nothing changed); later failures come back as a rolled-back outcome.
    public func apply(inputs: PlanInputs, filesOnly: Plan) throws(ReconcileError) -> ApplyOutcome {
        var inputs = inputs
        // Fast path: no file would change and the proxy runs. Checking that costs one request to the
        // engine's socket, no process: a timer tick on a converged gateway stays cheap.
        if !filesOnly.hasChanges, proxyIsRunning() {
            try LedgerStore.save(filesOnly.ledger, stateDir: settings.paths.stateDir)
            return ApplyOutcome(plan: filesOnly, result: .converged)
        }
        var compose: ComposeRuntime?
        if let composeSettings = runtime?.compose {
            let observed = ComposeObservation.observe(composeSettings, composeFile: settings.paths.composeFile)
            // An apply needs the engine: without it, nothing is started and nothing is written.
            if let problem = observed.problem { throw .world(problem) }
            compose = observed.runtime
            inputs.composeRuntime = observed.state
        }
        let plan = compose == nil ? filesOnly : try Observer.plan(inputs)
        guard plan.hasChanges else {
            try LedgerStore.save(plan.ledger, stateDir: settings.paths.stateDir)
            return ApplyOutcome(plan: plan, result: .converged)
        }
        do {
            return try ApplyInterpreter(world: world(for: plan, compose: compose)).run(plan)
        } catch {
            throw error.reconcileError
        }
    }

    /// The real gateway, as the runtime settings reach it.
    func world(for plan: Plan, compose: ComposeRuntime?) -> ApplyWorld {
        let runtime = self.runtime ?? RuntimeSettings(caddy: .none, compose: nil, homeAssistant: .none, probes: nil)
        let caddy: (any CaddyActivating)?
        switch runtime.caddy {
        case .adminAPI(let endpoint): caddy = CaddyAdminActivation(endpoint: endpoint)
        case .none: caddy = nil
        }
        let homeAssistantService = plan.target(.homeAssistant)?.restart?.services.first ?? "homeassistant"
        return ApplyWorld(files: LocalFileStore(stateDir: settings.paths.stateDir), caddy: caddy, compose: compose,
                          homeAssistant: runtime.homeAssistant.control(service: homeAssistantService, composeFile: settings.paths.composeFile),
                          prober: runtime.probes.map(Prober.init), ledger: StateDirLedger(stateDir: settings.paths.stateDir))
    }

    /// True when no compose runtime is configured, or the engine's API says the proxy's container runs.
    /// Unknown (engine API not reachable over a socket) counts as false: the full path finds out.
    private func proxyIsRunning() -> Bool {
        guard let compose = runtime?.compose else { return true }
        let project = compose.settings.projectName ?? DockerEngine.projectName(forComposeFile: settings.paths.composeFile)
        let environment = ProcessInfo.processInfo.environment.merging(compose.settings.environment) { $1 }
        guard let engine = DockerEngine.fromEnvironment(environment), let containers = try? engine.containers(project: project) else {
            return false
        }
        return containers.contains { $0.service == ComposePlanner.defaultProxyService && $0.running }
    }
}
