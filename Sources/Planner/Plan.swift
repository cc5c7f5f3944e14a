import Certificates

/// The result of comparing desired with live: a value that `apply` executes and reports render.
/// Nothing downstream re-derives what is in here.
public struct Plan: Sendable, Encodable {
    public var desired: DesiredSummary
    public var targets: [TargetPlan]
    /// The ledger once this plan is applied (what reconcile will have added).
    public var ledger: Ledger
    /// How the apply reaches Caddy (and its rollback too); nil when it was not looked for (plan from files).
    public var caddy: CaddyRoute?
    /// The ledger as it was before this plan: what a rollback puts back.
    public var previousLedger: Ledger
    /// The certificates of the hosts already live (not those this plan adds), when they were read.
    public var certificates: CertificateReport?

    public init(desired: DesiredSummary, targets: [TargetPlan], ledger: Ledger = .empty, previousLedger: Ledger = .empty) {
        self.desired = desired
        self.targets = targets
        self.ledger = ledger
        self.previousLedger = previousLedger
    }

    public func target(_ kind: TargetKind) -> TargetPlan? { targets.first { $0.kind == kind } }

    public var hasChanges: Bool { targets.contains { !$0.changes.isEmpty } }
    public var changeCount: Int { targets.reduce(0) { $0 + $1.changes.count } }

    enum CodingKeys: String, CodingKey {
        case desired, targets, caddy, program, certificates
        case hasChanges = "has_changes"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(desired, forKey: .desired)
        try container.encode(targets, forKey: .targets)
        try container.encodeIfPresent(caddy, forKey: .caddy)
        try container.encode(hasChanges, forKey: .hasChanges)
        try container.encode(program, forKey: .program)
        try container.encodeIfPresent(certificates, forKey: .certificates)
    }
}

/// Where the desired state came from, for the plan's header and the status report.
public struct DesiredSummary: Sendable, Codable, Hashable {
    public var file: String
    public var domain: String
    public var services: [String]
    /// The commit of the exposure repo, when it is a git checkout.
    public var commit: String?
    public var commitSubject: String?
    /// The desired-state file differs from that commit (edited in the checkout, or untracked).
    public var uncommitted: Bool
    /// Every declared host, for probes and reports.
    public var hosts: [ExposedHost]
    /// Who signed the commit, when the gateway verifies signatures (`ssh-keygen`'s or `gpgv`'s words).
    public var signedBy: String?

    public init(file: String, domain: String, services: [String], commit: String? = nil, commitSubject: String? = nil,
                uncommitted: Bool = false, hosts: [ExposedHost] = []) {
        self.file = file
        self.hosts = hosts
        self.domain = domain
        self.services = services
        self.commit = commit
        self.commitSubject = commitSubject
        self.uncommitted = uncommitted
    }

    enum CodingKeys: String, CodingKey {
        case file, domain, services, commit, uncommitted, hosts
        case commitSubject = "commit_subject"
        case signedBy = "signed_by"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        domain = try container.decode(String.self, forKey: .domain)
        services = try container.decode([String].self, forKey: .services)
        commit = try container.decodeIfPresent(String.self, forKey: .commit)
        commitSubject = try container.decodeIfPresent(String.self, forKey: .commitSubject)
        uncommitted = try container.decodeIfPresent(Bool.self, forKey: .uncommitted) ?? false
        hosts = try container.decodeIfPresent([ExposedHost].self, forKey: .hosts) ?? []
        signedBy = try container.decodeIfPresent(String.self, forKey: .signedBy)
    }
}

/// One declared service as the internet sees it.
public struct ExposedHost: Sendable, Codable, Hashable {
    public var service: String
    public var host: String
    public var upstream: String
    public var isHomeAssistant: Bool
    /// `maintenance: true`: Caddy answers 503 on purpose (not in the JSON: the probe's business only).
    public var maintenance = false

    public init(service: String, host: String, upstream: String, isHomeAssistant: Bool, maintenance: Bool = false) {
        self.service = service
        self.host = host
        self.upstream = upstream
        self.isHomeAssistant = isHomeAssistant
        self.maintenance = maintenance
    }

    enum CodingKeys: String, CodingKey {
        case service, host, upstream
        case isHomeAssistant = "home_assistant"
    }
}

public enum TargetKind: String, Sendable, Codable, Hashable, CaseIterable {
    case caddyfile
    case homeAssistant = "home_assistant"
    case compose

    public var title: String {
        switch self {
        case .caddyfile: return "Caddyfile"
        case .homeAssistant: return "Home Assistant"
        case .compose: return "Compose"
        }
    }
}
