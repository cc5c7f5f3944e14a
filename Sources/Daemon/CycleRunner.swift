import Adapters
import Certificates
import Controller
import Diagnostics
import EssentialsExtras
import FoundationEssentials
import Planner
import StatusPage

/// Runs one `ReconcileCycle` for the daemon: under the same lock as the CLI, on a thread of its own
/// (the cycle is synchronous and may take seconds; the HTTP event loops must keep answering).
public struct CycleRunner: Sendable {
    public var settings: ReconcileSettings
    public var options: ReconcileCycle.Options
    /// How long a reconcile waits for a CLI run holding the lock before this cycle counts as failed.
    public var lockTimeout: Double

    public init(settings: ReconcileSettings, options: ReconcileCycle.Options, lockTimeout: Double = 300) {
        self.settings = settings
        self.options = options
        self.lockTimeout = lockTimeout
    }

    public func run(_ reasons: Set<TriggerReason>) async -> CycleRecord {
        await withCheckedContinuation { continuation in
            Threads.start(name: "reconcile-cycle") { continuation.resume(returning: runBlocking(reasons)) }
        }
    }

    /// The cycle itself, synchronously, then its result as a record.
    public func runBlocking(_ reasons: Set<TriggerReason>) -> CycleRecord {
        let started = Date()
        let clock = ContinuousClock(), start = clock.now
        let lock: ReconcileLock
        do {
            lock = try ReconcileLock(stateDir: settings.paths.stateDir, timeout: lockTimeout)
        } catch {
            return CycleRecord(outcome: .failed, reasons: reasons, started: started, duration: clock.now - start,
                               appliedCommit: AppliedCommitStore.load(stateDir: settings.paths.stateDir)?.id, detail: error.description,
                               failure: ReconcileError.lock(error).reason)
        }
        var options = self.options
        options.trigger = HistoryEntry.Trigger(reasons)
        let result = withExtendedLifetime(lock) { ReconcileCycle.run(settings, options: options) }
        let outcome: CycleRecord.Outcome
        var detail: String?
        switch result.error {
        case .invalidInput(let list, _)?:
            (outcome, detail) = (.invalidInput, list.description)
        case .failed(_, let message)?:
            (outcome, detail) = (.failed, message)
        case nil:
            let changed = result.applied.map { $0.result == .applied } ?? (result.plan?.hasChanges ?? false)
            outcome = changed ? .applied : .inSync
            if let plan = result.plan, changed { detail = "\(plan.changeCount) change(s)" }
        }
        if let reportError = result.reportError {
            detail = [detail, "status report not published: \(reportError.description)"].compactMap { $0 }.joined(separator: "; ")
        }
        var record = CycleRecord(outcome: outcome, reasons: reasons, started: started, duration: clock.now - start,
                                 appliedCommit: AppliedCommitStore.load(stateDir: settings.paths.stateDir)?.id, detail: detail,
                                 failure: result.error?.reason ?? (result.reportError == nil ? nil : .statusNotPublished))
        record.page = result.page
        record.notifications = result.notifications.deliveries
        record.certificates = result.certificates?.hosts
        record.steps = result.applied?.journal.map { $0.text(declaredAt: { result.observation?.declaration($0) }) } ?? []
        return record
    }
}
