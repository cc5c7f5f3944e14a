import Adapters
import Planner

/// What an apply did, for the CLI and the status report. A value, like the plan it executed.
public struct ApplyOutcome: Sendable {
    public enum Result: String, Sendable, Codable {
        /// Nothing differed: no write, no reload, no restart.
        case converged
        case applied
        /// Something failed after the first write; the old state was restored and answers again.
        case rolledBack = "rolled_back"
        /// The rollback itself failed: the user must act (the outcome says what).
        case rollbackFailed = "rollback_failed"
    }

    public var plan: Plan
    public var result: Result
    public var written: [String] = []
    /// Files put back by a rollback.
    public var restored: [String] = []
    public var backups: [String] = []
    /// What was done, in order, as one line each.
    public var steps: [String] = []
    /// Every action the interpreter ran, forward and undoing, in order.
    public var events: [ApplyEvent] = []
    /// What the user must still do by hand (no runtime configured for it).
    public var manual: [String] = []
    public var probes: [ProbeResult] = []
    public var failure: String?
    /// The step that failed, and how, with the adapter's typed error.
    public var failedStep: ApplyAction?
    public var error: ApplyFailure?
    public var rollbackProbes: [ProbeResult] = []
    public var rollbackFailure: String?
    /// Caddy accepted the new Caddyfile (so a rollback must load the old one again).
    public var caddyLoaded = false

    public init(plan: Plan, result: Result) {
        self.plan = plan
        self.result = result
    }

    public var succeeded: Bool { result == .converged || result == .applied }
}
