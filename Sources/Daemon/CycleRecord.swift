import Adapters
import Certificates
import Controller
import FoundationEssentials
import StatusPage

/// What one daemon reconcile came to, for /healthz, /metrics and the log.
public struct CycleRecord: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Applied changes, or found the gateway already in sync.
        case applied, inSync = "in_sync"
        /// The desired state or a live file is wrong: waits for a fix.
        case invalidInput = "invalid_input"
        /// The world failed (fetch, engine, lock, a rolled-back apply): the next cycle retries.
        case failed
    }

    public var outcome: Outcome
    public var reasons: Set<TriggerReason>
    public var started: Date
    public var duration: Duration
    /// The commit the gateway was left at (the applied one), when known.
    public var appliedCommit: String?
    /// One line for the log (never served over HTTP: it may name paths).
    public var detail: String?
    /// Why it failed (served: a fixed word, no path).
    public var failure: FailureReason?
    /// The status page after this reconcile, when it made a report.
    public var page: StatusPageModel?
    /// What the `notify:` targets were sent (failures are logged and counted, never the cycle's outcome).
    public var notifications: [NotificationDelivery] = []
    /// Each live host's certificate, when this reconcile read them.
    public var certificates: [HostCertificate]?
    /// What its apply did, one line a step with why (the journal, as the status report renders it); for the log.
    public var steps: [String] = []

    public init(outcome: Outcome, reasons: Set<TriggerReason>, started: Date, duration: Duration,
                appliedCommit: String? = nil, detail: String? = nil, failure: FailureReason? = nil) {
        self.outcome = outcome
        self.reasons = reasons
        self.started = started
        self.duration = duration
        self.appliedCommit = appliedCommit
        self.detail = detail
        self.failure = failure
    }
}
