import Adapters
import Planner

/// Step 4: the plan's program (`Plan.program`) interpreted against the gateway (`ApplyInterpreter`), through
/// the ways the observation found: check, back up, write, activate, probe, and on a failure after the first
/// change, the inverses of what ran. `runtime == nil` is `--no-runtime`: files only, and the outcome lists
/// what the user must do.
public struct ApplyEngine {
    public let settings: ReconcileSettings
    public let runtime: RuntimeSettings?
    /// `apply --ha-stopped`: the user stopped Home Assistant.
    public let homeAssistantStopped: Bool

    public init(settings: ReconcileSettings, runtime: RuntimeSettings?, homeAssistantStopped: Bool = false) {
        self.settings = settings
        self.runtime = runtime
        self.homeAssistantStopped = homeAssistantStopped
    }

    /// Throws only before the first change (the engine was not read, a check failed); later failures come
    /// back as a rolled-back outcome.
    public func apply(_ plan: Plan, observation: Observation) throws(ReconcileError) -> ApplyOutcome {
        // Nothing is written without the engine: its problem is the apply's, for the problem's own reason.
        if let engine = observation.engine {
            if let problem = engine.problem { throw problem.reconcileError }
            if let state = engine.state, let refusal = ComposeMajorCheck.refusal(state) { throw .failed(.composeMajorMismatch, refusal) }
        }
        var world = world(for: plan, observation: observation)
        guard plan.hasChanges else {
            try world.ledger.save(plan.ledger)
            return ApplyOutcome(plan: plan, result: .converged)
        }
        world.planAgain = PlanningAgainFromObservation(inputs: observation.inputs)
        do {
            return try ApplyInterpreter(world: world).run(plan)
        } catch {
            throw error.reconcileError
        }
    }

    /// The real gateway, as the runtime settings and the observation reach it.
    func world(for plan: Plan, observation: Observation) -> ApplyWorld {
        let runtime = self.runtime ?? RuntimeSettings(caddy: .none, compose: nil, homeAssistant: .none, probes: nil)
        let homeAssistantService = plan.target(.homeAssistant)?.restart?.services.first ?? "homeassistant"
        // Home Assistant's compose service restarts through the Compose the engine was read with.
        let compose = observation.engine?.engine
        let detected = (compose as? ComposeRuntime)?.client.commandPrefix
        var world = ApplyWorld(files: LocalFileStore(stateDir: settings.paths.stateDir), caddy: observation.caddyConnection, compose: compose,
                               homeAssistant: runtime.homeAssistant.control(service: homeAssistantService, composeFile: settings.paths.composeFile,
                                                                            detected: detected),
                               prober: runtime.probes.map(Prober.init), ledger: StateDirLedger(stateDir: settings.paths.stateDir))
        world.homeAssistantTrial = self.runtime == nil ? nil : HomeAssistantOwnTrial.session(plan, token: observation.homeAssistantToken, runtime: runtime)
        world.homeAssistantStoppedByUser = homeAssistantStopped
        return world
    }
}
