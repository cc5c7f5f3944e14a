import Diagnostics

/// What one gateway reports after a reconcile: which commit it wanted, which it has applied, and how each
/// target and service stands. Built by the controller from a plan and an apply; rendered here for people
/// (`status.md`) and machines (`status.json`). A value: rendering does no I/O.
public struct StatusReport: Sendable, Hashable, Codable {
    /// The version of the JSON layout, bumped on incompatible changes.
    public static let currentSchema = 1

    public var schema: Int
    public var gateway: String
    public var source: StatusSource?
    /// The commit the gateway should match (the branch head it fetched), when known.
    public var desired: StatusCommit?
    /// The last commit applied successfully on this gateway.
    public var lastApplied: StatusCommit?
    public var outcome: StatusOutcome
    /// Why the reconcile failed, as it was reported (already free of secrets).
    public var error: String?
    /// Its reason, a stable word (`git_unreachable`, `caddy_rejected`, …), and whether the next run may pass.
    public var reason: String?
    public var retryable: Bool?
    public var domain: String?
    public var targets: [TargetStatus]
    public var services: [ServiceStatus]
    public var warnings: [String]
    /// Each live host's certificate (nil: not read by this run, e.g. it stopped before planning).
    public var certificates: [CertificateStatus]?
    /// What the last apply that did anything did, step by step, each with the changes that called for it and
    /// where the desired state declares them (kept while later runs find nothing to do).
    public var lastApplySteps: [String]?
    /// When this report was made. The only field that changes without the gateway changing: see `StatusComparison`.
    public var checkedAt: StatusTime

    public init(gateway: String, source: StatusSource? = nil, desired: StatusCommit? = nil, lastApplied: StatusCommit? = nil,
                outcome: StatusOutcome, error: String? = nil, domain: String? = nil, targets: [TargetStatus] = [],
                services: [ServiceStatus] = [], warnings: [String] = [], checkedAt: StatusTime) {
        schema = StatusReport.currentSchema
        self.gateway = gateway
        self.source = source
        self.desired = desired
        self.lastApplied = lastApplied
        self.outcome = outcome
        self.error = error
        self.domain = domain
        self.targets = targets
        self.services = services
        self.warnings = warnings
        self.checkedAt = checkedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema, gateway, source, desired, outcome, error, reason, retryable, domain, targets, services, warnings, certificates
        case lastApplied = "last_applied"
        case lastApplySteps = "last_apply_steps"
        case checkedAt = "checked_at"
    }
}

/// Where the desired state came from.
public struct StatusSource: Sendable, Hashable, Codable {
    /// The repository URL (never with credentials).
    public var repository: String
    public var branch: String?
    /// The desired-state file inside it.
    public var file: String

    public init(repository: String, branch: String?, file: String) {
        self.repository = repository
        self.branch = branch
        self.file = file
    }
}

public struct StatusCommit: Sendable, Hashable, Codable {
    public var id: String
    public var subject: String

    public init(id: String, subject: String) {
        self.id = id
        self.subject = subject
    }

    public var short: String { String(id.prefix(12)) }
}

public enum StatusOutcome: String, Sendable, Hashable, Codable {
    /// Nothing to do: live matches desired.
    case inSync = "in_sync"
    /// Changes were made.
    case applied
    /// A plan found changes that are not applied yet.
    case pending
    case failed

    public var title: String {
        switch self {
        case .inSync: return "in sync"
        case .applied: return "applied"
        case .pending: return "changes pending"
        case .failed: return "failed"
        }
    }
}

/// One live target (the Caddyfile, Home Assistant's settings, the compose file).
public struct TargetStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case unchanged, changed, pending, failed
        case unmanaged = "not_managed"
    }

    public var name: String
    public var path: String
    public var state: State
    public var changes: Int
    public var note: String?

    public init(name: String, path: String, state: State, changes: Int = 0, note: String? = nil) {
        self.name = name
        self.path = path
        self.state = state
        self.changes = changes
        self.note = note
    }
}

/// One exposed service, or one being removed.
public struct ServiceStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        /// Published, and the live configuration matches the declaration.
        case exposed
        /// This reconcile changed it (added, updated, restored, removed).
        case changed
        /// This reconcile tried and failed.
        case failed
        /// Someone edited what reconcile manages for it; a plan found it, no apply restored it yet.
        case drifted
        /// A plan found a change not applied yet.
        case pending
    }

    public var name: String
    /// `https://host` it is reachable at.
    public var address: String?
    public var upstream: String?
    public var state: State
    public var reason: String?
    /// Reachable from the internet after this reconcile (false once removed).
    public var published: Bool

    public init(name: String, address: String?, upstream: String?, state: State, reason: String? = nil, published: Bool = true) {
        self.name = name
        self.address = address
        self.upstream = upstream
        self.state = state
        self.reason = reason
        self.published = published
    }
}

/// One host's certificate as the report shows it. Times are absolute (no "days left"), so a report changes
/// only when the gateway does, not every day.
public struct CertificateStatus: Sendable, Hashable, Codable {
    public var host: String
    /// `not_issued`, `valid`, `renewing`, `expired` or `failing`.
    public var state: String
    public var issuer: String?
    /// Unix time and ISO 8601 of its end of validity, when one is stored.
    public var notAfter: StatusTime?
    /// What the state rests on, in words.
    public var evidence: [String]

    public init(host: String, state: String, issuer: String? = nil, notAfter: StatusTime? = nil, evidence: [String]) {
        self.host = host
        self.state = state
        self.issuer = issuer
        self.notAfter = notAfter
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case host, state, issuer, evidence
        case notAfter = "not_after"
    }
}

extension StatusReport {
    /// "3 exposed, 1 failed": the services by state, in the order people read them.
    public var serviceCounts: String {
        let counts = Dictionary(grouping: services, by: \.state).mapValues(\.count)
        return [ServiceStatus.State.exposed, .changed, .pending, .drifted, .failed].compactMap { state in
            counts[state].map { "\($0) \(state.rawValue)" }
        }.joined(separator: ", ")
    }

    /// The outcome, the services by state, and whether the gateway is behind its desired commit.
    public var result: String {
        var text = outcome.title
        if !services.isEmpty { text += ": " + serviceCounts }
        if let desired, let lastApplied, desired.id != lastApplied.id {
            text += " (behind: the applied commit is not the desired one)"
        }
        return text
    }
}
