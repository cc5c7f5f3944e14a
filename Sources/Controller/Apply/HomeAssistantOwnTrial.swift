import Adapters
import Planner

/// Storage mode with an access token (`--ha-token-file`): the new `data.stable` goes through Home
/// Assistant's own trial instead of a stop → write → start. The plan says so (`ServiceRestart.Mode
/// .homeAssistantTrial`) and its program runs it (`ApplyProgram`): the other targets written and
/// activated (Caddy first, so the probe sees its new config) → `configureHomeAssistantTrial` → `probe`
/// through Caddy → `promoteHomeAssistantTrial`. A failed probe is not promoted: Home Assistant reverts by
/// itself, and the other targets roll back as after any failed probe. This makes the world's piece for it.
enum HomeAssistantOwnTrial {
    /// The plan's target that goes through the trial, if any.
    static func target(_ plan: Plan) -> TargetPlan? {
        plan.targets.first { $0.kind == .homeAssistant && $0.writesFile && $0.goesThroughHomeAssistantTrial }
    }

    /// The trial through Home Assistant's WebSocket API, where the readiness settings reach it; nil unless the
    /// plan has a trial and the observation read a token (then the program's `checkHomeAssistantTrial` refuses).
    static func session(_ plan: Plan, token: String?, runtime: RuntimeSettings) -> HomeAssistantTrialSession? {
        guard let token, target(plan) != nil else { return nil }
        let readiness: HomeAssistantReadiness
        switch runtime.homeAssistant {
        case .compose(_, let value): readiness = value
        case .commands(let control): readiness = control.readiness
        case .none: readiness = HomeAssistantReadiness()
        }
        return HomeAssistantTrialSession(trial: HomeAssistantTrial(address: readiness.address, port: readiness.port, token: token, readiness: readiness))
    }
}
