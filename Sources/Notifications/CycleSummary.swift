/// What one apply-mode reconcile came to, as the notification rules need it (the controller maps its
/// typed result into this, as it does for the status report).
public struct CycleSummary: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Applied, or already in sync. `hosts`: every declared host with its access after this apply.
        /// `widening`: hosts the plan itself marks as becoming public (`PlannedChange.exposure`).
        case succeeded(hosts: [HostAccess], becamePublic: Set<String>)
        /// Stopped before touching anything because the commit (or the settings, the policy, a signature)
        /// is wrong: waits for a new commit.
        case refused(FailureFacts)
        /// An apply began and failed.
        case applyFailed(ApplyFailureFacts)
        /// Stopped for another cause, usually the world's (retried next cycle).
        case failed(FailureFacts)
    }

    public var gateway: String
    public var commit: CommitRef?
    public var desiredFile: String?
    public var outcome: Outcome
    /// Certificate problems seen in this cycle.
    public var certificates: [CertificateAlert]

    public init(gateway: String, commit: CommitRef?, desiredFile: String? = nil, outcome: Outcome, certificates: [CertificateAlert] = []) {
        self.gateway = gateway
        self.commit = commit
        self.desiredFile = desiredFile
        self.outcome = outcome
        self.certificates = certificates
    }
}
