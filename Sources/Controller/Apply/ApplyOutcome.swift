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

    /// Where Home Assistant's own trial stood when the apply failed.
    public enum TrialState: Sendable, Hashable {
        /// Configured: not promoted, it goes back to its `data.stable` by itself.
        case configured
        /// The configure failed: if it started, it goes back by itself.
        case mayHaveStarted
    }

    /// Why putting the old state back did not fully work.
    public enum RollbackProblem: Sendable, CustomStringConvertible {
        /// An undoing step failed; `backups`: where the file's backup is, for a file.
        case step(ApplyFailure, backups: String?)
        /// A host that was live before did not answer after the rollback.
        case stillFailing(ProbeResult)

        public var description: String {
            switch self {
            case .step(let error, let backups): return error.description + (backups.map { " (its backup is in \($0))" } ?? "")
            case .stillFailing(let probe): return "after the rollback, \(probe.host) still fails: \(probe.detail)"
            }
        }
    }

    public var plan: Plan
    public var result: Result
    /// What was done, in order, forward and undoing, with why.
    public var journal: [JournalEntry] = []
    public var probes: [ProbeResult] = []
    /// The step that failed, and how, with the adapter's typed error.
    public var failedStep: ApplyAction?
    public var error: ApplyFailure?
    public var trial: TrialState?
    public var rollbackProbes: [ProbeResult] = []
    public var rollbackProblems: [RollbackProblem] = []

    public init(plan: Plan, result: Result) {
        self.plan = plan
        self.result = result
    }

    public var succeeded: Bool { result == .converged || result == .applied }

    /// Files this apply replaced (or created, or removed).
    public var written: [String] {
        journal.compactMap { entry in
            switch entry.event {
            case .wrote(let path) where !entry.undoing, .removed(let path) where !entry.undoing: return path
            default: return nil
            }
        }
    }

    /// Files put back by a rollback.
    public var restored: [String] {
        journal.compactMap { if case .restored(let path) = $0.event { return path } else { return nil } }
    }

    public var backups: [String] {
        journal.compactMap { if case .backedUp(_, let backup) = $0.event { return backup } else { return nil } }
    }

    /// What the user must still do by hand (no runtime configured for it).
    public var manual: [JournalEntry.ManualTask] {
        journal.compactMap { if case .leftToUser(let task) = $0.event { return task } else { return nil } }
    }

    /// Why it failed, for people.
    public var failure: String? {
        guard let error else { return nil }
        switch trial {
        case .configured?: return error.description + "; Home Assistant's trial was not promoted: it goes back to its data.stable by itself within 5 minutes"
        case .mayHaveStarted?:
            return error.description + "; Home Assistant's trial was not promoted: if it started, it goes back to its data.stable by itself within 5 minutes"
        case nil: return error.description
        }
    }

    public var rollbackFailure: String? {
        rollbackProblems.isEmpty ? nil : rollbackProblems.map(\.description).joined(separator: "; ")
    }

    /// As the controller reports a failed apply: the step's own reason, or the rollback's.
    public var reconcileError: ReconcileError? {
        guard !succeeded else { return nil }
        let reason = result == .rollbackFailed ? .rollbackFailed : (error?.reconcileError.reason ?? .rolledBack)
        return .failed(reason, failure ?? "the apply failed")
    }
}
