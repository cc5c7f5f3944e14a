import Adapters
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

    /// Observes, plans once and applies that plan.
    public func run(engineObserver: any EngineObserving = LiveEngineObserver()) throws(ReconcileError) -> ApplyOutcome {
        let (inputs, engine) = try Observer.observe(settings, compose: runtime?.compose, engineRequired: true,
                                                    engineObserver: engineObserver)
        return try apply(try Observer.plan(inputs), engine: engine)
    }

    /// Runs the plan's program; `engine` is the Compose the observation read the engine with. Throws only
    /// before the first change (a check failed); later failures come back as a rolled-back outcome.
    public func apply(_ plan: Plan, engine: (any ComposeEngine)?) throws(ReconcileError) -> ApplyOutcome {
        guard plan.hasChanges else {
            try LedgerStore.save(plan.ledger, stateDir: settings.paths.stateDir)
            return ApplyOutcome(plan: plan, result: .converged)
        }
        do {
            return try ApplyInterpreter(world: world(for: plan, compose: engine)).run(plan)
        } catch {
            throw error.reconcileError
        }
    }

    /// The real gateway, as the runtime settings reach it.
    func world(for plan: Plan, compose: (any ComposeEngine)?) -> ApplyWorld {
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
}
