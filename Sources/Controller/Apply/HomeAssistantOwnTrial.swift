import Adapters
import Diagnostics
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
    /// plan has a trial, a token file is set and the runtime may be touched. The token is read here, once.
    static func session(_ plan: Plan, settings: ReconcileSettings, runtime: RuntimeSettings?) throws(ReconcileError) -> HomeAssistantTrialSession? {
        guard let file = settings.homeAssistantTokenFile, let runtime, target(plan) != nil else { return nil }
        let token: String
        do {
            token = try HomeAssistantToken.read(file: file)
        } catch {
            throw .invalidInput(DiagnosticList([Diagnostic(file: file, position: nil, message: error.reason,
                                                           hint: "put a long-lived access token of a Home Assistant administrator on the file's first line")]), reason: .invalidSettings)
        }
        let readiness: HomeAssistantReadiness
        switch runtime.homeAssistant {
        case .compose(_, let value): readiness = value
        case .commands(let control): readiness = control.readiness
        case .none: readiness = HomeAssistantReadiness()
        }
        return HomeAssistantTrialSession(trial: HomeAssistantTrial(address: readiness.address, port: readiness.port, token: token, readiness: readiness))
    }

    /// Refuses before anything is done when the plan goes through the trial and this apply cannot run it.
    static func checkCanRun(_ plan: Plan, canRun: Bool) throws(ReconcileError) {
        guard let target = target(plan), !canRun else { return }
        throw .invalidInput(DiagnosticList([Diagnostic(
            file: target.path, position: nil,
            message: "this plan goes through Home Assistant's own trial (an access token is set), and this apply cannot reach Home Assistant (--no-runtime); nothing was changed",
            hint: "run apply with a runtime, or without --ha-token-file to stop, write and start Home Assistant instead")]), reason: .invalidSettings)
    }
}
