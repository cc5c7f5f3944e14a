import Adapters
import Diagnostics
import Planner

/// Storage mode (Home Assistant 2026.8+): Home Assistant keeps `.storage/http` in memory and writes it
/// back itself, so reconcile writes it only while Home Assistant is stopped, and only bytes planned from
/// the file as it is once stopped. The sequence is stop → read again (plan again if it changed) →
/// back up → write `data.stable` → start; its rollback is stop → restore → start.
enum HomeAssistantStorageWrite {
    /// The plan's `.storage/http` write, if it has one.
    static func target(_ plan: Plan) -> TargetPlan? {
        plan.targets.first { $0.kind == .homeAssistant && $0.writesFile && $0.restart?.mode == .stopWriteStart }
    }

    /// Refuses before anything is done when nobody can stop Home Assistant and the user did not say it is stopped.
    static func checkCanWrite(_ plan: Plan, canStop: Bool, userStoppedIt: Bool) throws(ReconcileError) {
        guard let target = target(plan), !canStop, !userStoppedIt else { return }
        throw .invalidInput(DiagnosticList([Diagnostic(
            file: target.path, position: nil,
            message: "reconcile writes this file only while Home Assistant is stopped (a running Home Assistant overwrites it from memory), and this apply cannot stop it (--no-runtime or --ha-restart none); nothing was changed",
            hint: "let reconcile stop and start Home Assistant (--ha-restart compose, or ha_commands in the settings file), or stop it yourself, run apply again with --ha-stopped, then start it")]), reason: .invalidSettings)
    }

    /// NOT YET WIRED into the interpreter's program (#15 merge): to run right after `.stopHomeAssistant`.
    /// Reads the file again once Home Assistant is stopped; when it changed since the plan was made (a save,
    /// a trial reverted to `not_promoted`), plans again from what is there now. Returns the plan to execute.
    static func planAgainIfChanged(_ plan: Plan, inputs: PlanInputs) throws(ReconcileError) -> (plan: Plan, changed: Bool) {
        guard let target = target(plan) else { return (plan, false) }
        let now: [UInt8]?
        do {
            now = try LiveFileReader.read(target.path)
        } catch {
            throw .failed(.unreadableLiveFile, error.description)
        }
        guard now != target.currentContent else { return (plan, false) }
        var again = inputs
        again.homeAssistant.storageHTTP = now
        return (try Observer.plan(again), true)
    }
}
