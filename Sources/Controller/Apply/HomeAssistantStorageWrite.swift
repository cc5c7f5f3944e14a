import Adapters
import Diagnostics
import Planner

/// Storage mode (Home Assistant 2026.8+): Home Assistant keeps `.storage/http` in memory and writes it
/// back itself, so reconcile writes it only while Home Assistant is stopped, and only bytes planned from
/// the file as it is once stopped. The sequence is stop → read again (plan again if it changed) →
/// back up → write `data.stable` → start; its rollback is stop → restore → start. The plan's program
/// holds it (`ApplyProgram`, `rereadBeforeWrite`); the re-plan is `PlanningAgain`'s.
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
}
