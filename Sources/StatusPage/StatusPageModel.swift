import Certificates

/// Everything the status page shows, as one value: the house's exposure, the last reconciles and the
/// plan that waits. Built by the daemon from typed facts (desired state, status report, apply outcome,
/// history); rendered here without I/O. It holds no secret by construction: no field carries a hash,
/// token or webhook secret, only names, addresses, counts and positioned messages.
public struct StatusPageModel: Sendable, Hashable, Codable {
    public var gateway: String
    public var domain: String?
    /// When the page's facts were last refreshed (ISO 8601, UTC).
    public var refreshedAt: String
    public var services: [ServiceEntry]
    /// Newest first.
    public var history: [HistoryEntry]
    /// A plan that waits (changes not applied yet) or was refused, with its problems.
    public var pending: PendingPlan?

    public init(gateway: String, domain: String?, refreshedAt: String, services: [ServiceEntry],
                history: [HistoryEntry], pending: PendingPlan?) {
        self.gateway = gateway
        self.domain = domain
        self.refreshedAt = refreshedAt
        self.services = services
        self.history = history
        self.pending = pending
    }
}

/// One declared service as the internet sees it.
public struct ServiceEntry: Sendable, Hashable, Codable {
    public var name: String
    /// `https://host`.
    public var url: String
    public var audience: Audience
    public var state: ServiceState
    /// The compose service behind it, when it runs in the gateway's compose project.
    public var composeService: String?
    /// The last probe through Caddy, when one ran.
    public var probe: ProbeEntry?
    /// Its host's certificate, when it was read.
    public var certificate: CertificateEntry?

    public init(name: String, url: String, audience: Audience, state: ServiceState, composeService: String?, probe: ProbeEntry?) {
        self.name = name
        self.url = url
        self.audience = audience
        self.state = state
        self.composeService = composeService
        self.probe = probe
    }
}

/// Who may reach a service: where from, and what they must prove.
public struct Audience: Sendable, Hashable, Codable {
    public enum Reach: Sendable, Hashable, Codable {
        case internet
        case lan
        case networks([String])
    }

    public var reach: Reach
    /// Users of Caddy's basic auth (counted, never named with their hashes).
    public var passwordUsers: Int
    /// The service asks for its own login.
    public var ownLogin: Bool

    public init(reach: Reach, passwordUsers: Int = 0, ownLogin: Bool = false) {
        self.reach = reach
        self.passwordUsers = passwordUsers
        self.ownLogin = ownLogin
    }

    /// Anyone on the internet gets in without proving anything.
    public var isWideOpen: Bool { reach == .internet && passwordUsers == 0 && !ownLogin }
}

public enum ServiceState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Published, and live matches the declaration.
    case exposed
    /// Someone changed what reconcile manages; the last apply put it back.
    case driftRestored = "drift_restored"
    /// The gateway's policy refused it: not published.
    case refusedByPolicy = "refused_by_policy"
    /// Caddy answers 503 on purpose.
    case maintenance
    /// Declared, not applied yet.
    case pending
    /// The last reconcile failed for it.
    case failing

    public var title: String {
        switch self {
        case .exposed: return "exposed"
        case .driftRestored: return "drift restored"
        case .refusedByPolicy: return "refused by policy"
        case .maintenance: return "in maintenance"
        case .pending: return "pending"
        case .failing: return "failing"
        }
    }
}

public struct ProbeEntry: Sendable, Hashable, Codable {
    /// The declared service probed (through its public host).
    public var service: String
    public var passed: Bool
    /// The HTTP status Caddy answered, when it answered.
    public var status: Int?
    /// ISO 8601, UTC.
    public var at: String

    public init(service: String, passed: Bool, status: Int?, at: String) {
        self.service = service
        self.passed = passed
        self.status = status
        self.at = at
    }
}

/// One past reconcile.
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// What started it, named as `/healthz` and the metrics name the daemon's triggers (`startup`, `timer`,
    /// `webhook`); `manual` is a command run by hand.
    public enum Trigger: String, Sendable, Hashable, Codable, CaseIterable {
        case startup, timer, webhook, manual

        public init(from decoder: any Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            // A history saved by an earlier version names the webhook `push`: kept, not dropped as unreadable.
            guard let trigger = Trigger(rawValue: name == "push" ? Trigger.webhook.rawValue : name) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown trigger \(name)"))
            }
            self = trigger
        }
    }

    /// ISO 8601, UTC.
    public var at: String
    public var trigger: Trigger
    public var commit: String?
    public var commitSubject: String?
    public var signer: String?
    /// `applied`, `in_sync`, `failed`, …: the outcome as the status report names it.
    public var outcome: String
    /// Why it ended so, as a machine-readable reason (e.g. `caddy_rejected`), when it did not succeed.
    public var reason: String?
    /// Whether trying again later may help (false: it waits for a new commit).
    public var retryable: Bool?
    /// What changed, one line a change.
    public var changes: [String]
    /// What the probes through Caddy found, when this reconcile probed.
    public var probes: [ProbeEntry] = []
    /// What its apply did, one line a step with why (the status report's `last_apply_steps` of this run).
    public var steps: [String]?
    /// How many reconciles in a row this line stands for (a quiet gateway's timer ticks fold into one), and
    /// when the first of them ran; nil for one.
    public var repeated: Int?
    public var since: String?

    /// Whether `next` says nothing new after this one: same commit, same outcome and reason, no change.
    public func isRepeated(by next: HistoryEntry) -> Bool {
        next.commit == commit && next.outcome == outcome && next.reason == reason && next.changes.isEmpty && changes.isEmpty
            && next.probes.isEmpty && probes.isEmpty && next.signer == signer && (next.steps ?? []).isEmpty && (steps ?? []).isEmpty
    }

    public init(at: String, trigger: Trigger, commit: String?, commitSubject: String?, signer: String?, outcome: String,
                reason: String?, retryable: Bool?, changes: [String]) {
        self.at = at
        self.trigger = trigger
        self.commit = commit
        self.commitSubject = commitSubject
        self.signer = signer
        self.outcome = outcome
        self.reason = reason
        self.retryable = retryable
        self.changes = changes
    }
}

/// A plan that has not reached the gateway: waiting, or refused with its problems.
public struct PendingPlan: Sendable, Hashable, Codable {
    public var refused: Bool
    public var commit: String?
    /// The changes it would make, one line each.
    public var changes: [String]
    public var problems: [Problem]

    public init(refused: Bool, commit: String?, changes: [String], problems: [Problem]) {
        self.refused = refused
        self.commit = commit
        self.changes = changes
        self.problems = problems
    }

    /// A positioned message: file:line:column, what is wrong and what to do.
    public struct Problem: Sendable, Hashable, Codable {
        public var file: String
        public var line: Int?
        public var column: Int?
        public var message: String
        public var hint: String?

        public init(file: String, line: Int?, column: Int?, message: String, hint: String?) {
            self.file = file
            self.line = line
            self.column = column
            self.message = message
            self.hint = hint
        }

        public var location: String {
            [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
        }
    }
}

/// A host's certificate as the page shows it.
public struct CertificateEntry: Sendable, Hashable, Codable {
    public typealias State = HostCertificate.State

    public var state: State
    /// `2027-03-07T10:00:00Z`, when one is stored.
    public var validUntil: String?
    /// Whole days left, at the time of the page.
    public var daysLeft: Int?
    /// What the state rests on, first fact only (the report has them all).
    public var evidence: String?

    public init(state: State, validUntil: String? = nil, daysLeft: Int? = nil, evidence: String? = nil) {
        self.state = state
        self.validUntil = validUntil
        self.daysLeft = daysLeft
        self.evidence = evidence
    }
}

extension HostCertificate.State {
    /// Worth the owner's attention: drawn red.
    public var isBad: Bool { self == .expired || self == .failing }
}
