@testable import Controller

/// One `reconcile apply` as production runs it (sync, observe, plan, apply: `ReconcileCycle.run`), without
/// the status report: its outcome, or the error that stopped it before the first change.
func apply(_ settings: ReconcileSettings, _ runtime: RuntimeSettings?, homeAssistantStopped: Bool = false) throws -> ApplyOutcome {
    var options = ReconcileCycle.Options(mode: .apply(runtime), report: false, publish: false)
    options.homeAssistantStopped = homeAssistantStopped
    let result = ReconcileCycle.run(settings, options: options)
    if let outcome = result.applied { return outcome }
    throw result.error ?? .failed(.rolledBack, "the cycle stopped without an outcome")
}
