import Caddyfile
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
        var (inputs, engine) = try Observer.observe(settings, compose: runtime?.compose, engineRequired: true,
                                                    engineObserver: engineObserver)
        let caddy = runtime.map { CaddyReach.find($0.caddy, paths: settings.paths, compose: $0.compose) } ?? .unused
        inputs.caddy = caddy.route
        inputs.caddyVersion = caddy.route.version.flatMap(CaddyVersion.parse)
        return try apply(try Observer.plan(inputs), engine: engine, caddy: caddy, inputs: inputs)
    }

    /// Runs the plan's program; `engine` is the Compose the observation read the engine with. Throws only
    /// before the first change (a check failed); later failures come back as a rolled-back outcome.
    /// `caddy` is the way to Caddy the observation found (and the plan names); its rollback uses the same.
    /// `inputs`: the observation the plan was made from, to plan `.storage/http` again if it changed before
    /// Home Assistant stopped (without it, such a change rolls the apply back).
    func apply(_ plan: Plan, engine: (any ComposeEngine)?, caddy: CaddyReach = .unused, inputs: PlanInputs? = nil) throws(ReconcileError) -> ApplyOutcome {
        guard plan.hasChanges else {
            try LedgerStore.save(plan.ledger, stateDir: settings.paths.stateDir)
            return ApplyOutcome(plan: plan, result: .converged)
        }
        // No way to Caddy answered (Caddy down, its container stopped, the engine down): before any write.
        if caddy.route.way != CaddyRoute.Way.none, caddy.connection == nil, plan.target(.caddyfile)?.writesFile == true {
            throw .failed(.caddyUnreachable, caddy.route.problem ?? "Caddy could not be reached")
        }
        var world = world(for: plan, compose: engine, caddy: caddy)
        world.planAgain = inputs.map(PlanningAgainFromObservation.init)
        world.homeAssistantTrial = try HomeAssistantOwnTrial.session(plan, settings: settings, runtime: runtime)
        // Storage mode: .storage/http is written only while Home Assistant is stopped (see HomeAssistantStorageWrite),
        // or with an access token through Home Assistant's own trial (see HomeAssistantOwnTrial).
        try HomeAssistantStorageWrite.checkCanWrite(plan, canStop: world.homeAssistant != nil, userStoppedIt: settings.homeAssistantStopped)
        try HomeAssistantOwnTrial.checkCanRun(plan, canRun: world.homeAssistantTrial != nil)
        do {
            return try ApplyInterpreter(world: world).run(plan)
        } catch {
            throw error.reconcileError
        }
    }

    /// The real gateway, as the runtime settings reach it.
    func world(for plan: Plan, compose: (any ComposeEngine)?, caddy: CaddyReach) -> ApplyWorld {
        let runtime = self.runtime ?? RuntimeSettings(caddy: .none, compose: nil, homeAssistant: .none, probes: nil)
        let homeAssistantService = plan.target(.homeAssistant)?.restart?.services.first ?? "homeassistant"
        // Home Assistant's compose service restarts through the Compose the engine was read with.
        let detected = (compose as? ComposeRuntime)?.client.commandPrefix
        return ApplyWorld(files: LocalFileStore(stateDir: settings.paths.stateDir), caddy: caddy.connection, compose: compose,
                          homeAssistant: runtime.homeAssistant.control(service: homeAssistantService, composeFile: settings.paths.composeFile,
                                                                       detected: detected),
                          prober: runtime.probes.map(Prober.init), ledger: StateDirLedger(stateDir: settings.paths.stateDir))
    }
}
