import Adapters
import Diagnostics
import Foundation
import Planner

/// Storage mode with an access token (`--ha-token-file`): the new `data.stable` goes through Home
/// Assistant's own trial instead of a stop → write → start. The sequence in the apply: write and
/// activate the other targets (Caddy first, so the probe sees its new config) → `http/config/configure`
/// with the whole new `data.stable` (metadata stripped) → Home Assistant restarts into the trial →
/// probe every host through Caddy → `http/config/promote`. A failed probe is not promoted: Home Assistant
/// reverts by itself, and the other targets roll back as after any failed probe.
/// NOT YET WIRED into the interpreter's program (#15 merge): see the report for the actions it needs.
struct HomeAssistantOwnTrial {
    let trial: HomeAssistantTrial
    /// The new `data.stable`, as JSON.
    let config: [String: Any]
    let path: String

    /// nil unless the plan writes `.storage/http`, a token file is set and the runtime may be touched.
    static func make(_ plan: Plan, settings: ReconcileSettings, runtime: RuntimeSettings?) throws(ReconcileError) -> HomeAssistantOwnTrial? {
        guard let file = settings.homeAssistantTokenFile, let runtime, let target = HomeAssistantStorageWrite.target(plan),
              let content = target.newContent else { return nil }
        let token: String
        do {
            token = try HomeAssistantToken.read(file: file)
        } catch {
            throw .invalidInput(DiagnosticList([Diagnostic(file: file, position: nil, message: error.reason,
                                                           hint: "put a long-lived access token of a Home Assistant administrator on the file's first line")]), reason: .invalidSettings)
        }
        let tree = (try? JSONSerialization.jsonObject(with: Data(content))) as? [String: Any]
        guard let stable = (tree?["data"] as? [String: Any])?["stable"] as? [String: Any] else {
            throw .invalidInput(DiagnosticList([Diagnostic(file: target.path, position: nil, message: "the planned data.stable could not be read back")]), reason: .invalidLiveFile)
        }
        let readiness: HomeAssistantReadiness
        switch runtime.homeAssistant {
        case .compose(_, let value): readiness = value
        case .commands(let control): readiness = control.readiness
        case .none: readiness = HomeAssistantReadiness()
        }
        return HomeAssistantOwnTrial(trial: HomeAssistantTrial(address: readiness.address, port: readiness.port, token: token, readiness: readiness),
                                     config: stable, path: target.path)
    }

    /// The plan the file transaction runs: `.storage/http` is neither written nor restarted for; the trial does it.
    static func withoutStorageWrite(_ plan: Plan) -> Plan {
        var plan = plan
        for index in plan.targets.indices where plan.targets[index].kind == .homeAssistant && plan.targets[index].restart?.mode == .stopWriteStart {
            plan.targets[index].newContent = nil
            plan.targets[index].restart = nil
        }
        return plan
    }

    /// Runs the trial; `probe` says why the hosts fail, or nil. Throws when it was not promoted.
    func run(probe: () -> String?) throws(ReconcileError) -> String {
        do {
            switch try trial.run(config: config, probe: probe) {
            case .promoted:
                return "Home Assistant's own trial: configured \(path)'s data.stable, probed, promoted"
            case .notPromoted(let reason):
                throw ReconcileError.failed(.probeFailed, "Home Assistant's trial was not promoted (\(reason)); Home Assistant goes back to its data.stable by itself within 5 minutes")
            }
        } catch let error as ReconcileError {
            throw error
        } catch {
            throw .failed(.homeAssistantNotReady, "\(error)")
        }
    }
}
