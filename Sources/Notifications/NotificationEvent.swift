import Diagnostics

/// The kinds of event worth a message, each a stable word: the `events:` filter of a target, the
/// webhook payload's `event`, ntfy's tags.
public enum NotificationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A host became public, or its access widened (lan -> public, a login dropped).
    case exposureWidened = "exposure_widened"
    /// A commit was refused before anything was touched (invalid, policy, unsigned).
    case commitRefused = "commit_refused"
    /// An apply failed after it began: rolled back, or the rollback failed too.
    case applyFailed = "apply_failed"
    /// A reconcile stopped for another cause (the remote unreachable, the engine down, a live file unreadable).
    case reconcileFailed = "reconcile_failed"
    /// A certificate failing, expired, or about to expire (from the certificates read after the apply, #26).
    case certificate
    /// The first success after failures that were reported.
    case recovered
}

/// The commit an event is about, as the status report names it, with its author when known.
public struct CommitRef: Sendable, Hashable, Codable {
    public var id: String
    public var subject: String
    /// `Name <email>`, as git records it.
    public var author: String?

    public init(id: String, subject: String, author: String? = nil) {
        self.id = id
        self.subject = subject
        self.author = author
    }

    public var short: String { String(id.prefix(12)) }
}

/// Why a reconcile stopped: the controller's reason word, whether waiting helps, and what it said.
public struct FailureFacts: Sendable, Hashable {
    /// `invalid_desired_state`, `caddy_unreachable`, … (`FailureReason`).
    public var reason: String
    public var retryable: Bool
    /// The error as the status report shows it (already free of secrets).
    public var message: String
    /// Positioned problems (`file:line:column`), first the one to fix first.
    public var diagnostics: [Diagnostic]

    public init(reason: String, retryable: Bool, message: String, diagnostics: [Diagnostic] = []) {
        self.reason = reason
        self.retryable = retryable
        self.message = message
        self.diagnostics = diagnostics
    }
}

/// How an apply failed: at which step, why, and what the rollback put back.
public struct ApplyFailureFacts: Sendable, Hashable {
    public var failure: FailureFacts
    /// The step that failed (`load_caddy`, `compose_up jellyfin`, …); nil when it failed before a step ran.
    public var step: String?
    /// Live files the rollback restored.
    public var restored: [String]
    /// The rollback failed too: a person must act. Its own failure, when known.
    public var rollbackFailed: Bool
    public var rollbackFailure: String?
    /// What the apply was trying to do.
    public var changes: [ChangeFacts]
    /// What ran, one line a step with why, as the status report and the page show it.
    public var steps: [String]

    public init(failure: FailureFacts, step: String?, restored: [String], rollbackFailed: Bool, rollbackFailure: String? = nil,
                changes: [ChangeFacts] = [], steps: [String] = []) {
        self.steps = steps
        self.failure = failure
        self.step = step
        self.restored = restored
        self.rollbackFailed = rollbackFailed
        self.rollbackFailure = rollbackFailure
        self.changes = changes
    }
}

/// One change of the plan, as the message names it: what, where in the live file, what it restarts.
public struct ChangeFacts: Sendable, Hashable {
    /// `+ https://jellyfin.example.org -> 10.0.0.5:8096`.
    public var summary: String
    /// `Caddyfile:12-14` when the change replaces lines of a live file.
    public var region: String?
    public var restarts: [String]
    /// Where the desired state declares what changed (`exposure.yaml:6:3`), when it is a declared service.
    public var declaredAt: String?

    public init(summary: String, region: String? = nil, restarts: [String] = [], declaredAt: String? = nil) {
        self.summary = summary
        self.region = region
        self.restarts = restarts
        self.declaredAt = declaredAt
    }
}

/// Who may reach one declared host. Kept in the notification memory, so the next apply can tell when it widened.
public struct HostAccess: Sendable, Hashable, Codable {
    public var host: String
    public var service: String
    /// `public`, `lan`, or the networks as written.
    public var access: String
    /// How many `basic_auth` users guard it.
    public var logins: Int
    /// Where the service is declared (`exposure.yaml:12:3`), for the message; not remembered.
    public var declaredAt: String?

    public init(host: String, service: String, access: String, logins: Int, declaredAt: String? = nil) {
        self.host = host
        self.service = service
        self.access = access
        self.logins = logins
        self.declaredAt = declaredAt
    }

    /// `public, 2 login(s)`.
    public var description: String { logins == 0 ? access : "\(access), \(logins) login(s)" }

    /// Anyone on the internet may open it.
    public var isOpen: Bool { access == "public" && logins == 0 }

    enum CodingKeys: String, CodingKey { case host, service, access, logins }
}

/// One host reachable more widely than before: `was` is nil for a host that was not served before.
public struct Widening: Sendable, Hashable, Codable {
    public var now: HostAccess
    public var was: HostAccess?

    public init(now: HostAccess, was: HostAccess?) {
        self.now = now
        self.was = was
    }

    public var host: String { now.host }
}

/// A certificate problem worth telling (the controller picks them from the certificates it read, #26);
/// the rules send each at most daily.
public struct CertificateAlert: Sendable, Hashable {
    public enum Problem: Sendable, Hashable {
        /// Caddy cannot obtain or renew it; the message says why.
        case failing(String)
        case expiresSoon(daysLeft: Int)
    }

    public var host: String
    public var problem: Problem

    public init(host: String, problem: Problem) {
        self.host = host
        self.problem = problem
    }

    /// What repeats a message: the same host with the same kind of problem.
    var key: String {
        switch problem {
        case .failing: return "\(host) failing"
        case .expiresSoon: return "\(host) expiring"
        }
    }
}

/// One event worth a message, with everything its rendering needs: no text is parsed back.
public struct NotificationEvent: Sendable, Hashable {
    public enum Detail: Sendable, Hashable {
        /// Every host of one apply whose access widened: one message, however many hosts.
        case exposureWidened([Widening])
        case commitRefused(FailureFacts)
        case applyFailed(ApplyFailureFacts)
        case reconcileFailed(FailureFacts)
        case certificate(CertificateAlert)
        /// `after`: the kind of failure that ended, and since when (Unix time) it lasted.
        case recovered(after: NotificationKind, reason: String, since: Int64)
    }

    public var gateway: String
    public var commit: CommitRef?
    /// The desired-state file inside the repo (`exposure.yaml`), for `file:line` of declared services.
    public var desiredFile: String?
    public var detail: Detail
    /// The same failure, still going on: a daily reminder, not news.
    public var reminder = false
    /// When the failure began (Unix time), for reminders.
    public var since: Int64?

    public init(gateway: String, commit: CommitRef?, desiredFile: String? = nil, detail: Detail) {
        self.gateway = gateway
        self.commit = commit
        self.desiredFile = desiredFile
        self.detail = detail
    }

    public var kind: NotificationKind {
        switch detail {
        case .exposureWidened: return .exposureWidened
        case .commitRefused: return .commitRefused
        case .applyFailed: return .applyFailed
        case .reconcileFailed: return .reconcileFailed
        case .certificate: return .certificate
        case .recovered: return .recovered
        }
    }
}
