/// The result of comparing desired with live: a value that `apply` executes and reports render.
/// Nothing downstream re-derives what is in here.
public struct Plan: Sendable, Codable {
    public var desired: DesiredSummary
    public var targets: [TargetPlan]
    /// The ledger once this plan is applied (what reconcile will have added).
    public var ledger: Ledger
    /// How the apply reaches Caddy (and its rollback too); nil when it was not looked for (plan from files).
    public var caddy: CaddyRoute?

    public init(desired: DesiredSummary, targets: [TargetPlan], ledger: Ledger = .empty) {
        self.desired = desired
        self.targets = targets
        self.ledger = ledger
    }

    public var hasChanges: Bool { targets.contains { !$0.changes.isEmpty } }
    public var changeCount: Int { targets.reduce(0) { $0 + $1.changes.count } }

    enum CodingKeys: String, CodingKey {
        case desired, targets, caddy
        case hasChanges = "has_changes"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(desired, forKey: .desired)
        try container.encode(targets, forKey: .targets)
        try container.encodeIfPresent(caddy, forKey: .caddy)
        try container.encode(hasChanges, forKey: .hasChanges)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        desired = try container.decode(DesiredSummary.self, forKey: .desired)
        targets = try container.decode([TargetPlan].self, forKey: .targets)
        caddy = try container.decodeIfPresent(CaddyRoute.self, forKey: .caddy)
        ledger = .empty
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

/// One live target (a file, and what activating it costs).
public struct TargetPlan: Sendable, Codable {
    public var kind: TargetKind
    public var path: String
    /// False when this version does not manage the target yet; `note` says why.
    public var managed: Bool
    public var note: String?
    public var changes: [PlannedChange]
    public var warnings: [String]
    /// Services an apply restarts, recreates or brings up for this target, and why.
    public var restarts: [String]
    public var restartReason: String?
    /// The service must be stopped before the file is written (it rewrites the file from memory).
    public var stopBeforeWrite: Bool
    /// The file as read, and as it will be written; nil `newContent` means no write.
    public var currentContent: [UInt8]?
    public var newContent: [UInt8]?

    public init(kind: TargetKind, path: String, managed: Bool = true, note: String? = nil, changes: [PlannedChange] = [],
                warnings: [String] = [], restarts: [String] = [], restartReason: String? = nil,
                currentContent: [UInt8]? = nil, newContent: [UInt8]? = nil) {
        self.kind = kind
        self.path = path
        self.managed = managed
        self.note = note
        self.changes = changes
        self.warnings = warnings
        self.restarts = restarts
        self.restartReason = restartReason
        self.stopBeforeWrite = false
        self.currentContent = currentContent
        self.newContent = newContent
    }

    public var writesFile: Bool { newContent != nil && newContent != currentContent }

    enum CodingKeys: String, CodingKey {
        case kind, path, managed, note, changes, warnings, restarts
        case restartReason = "restart_reason"
        case writesFile = "writes_file"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(path, forKey: .path)
        try container.encode(managed, forKey: .managed)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encode(changes, forKey: .changes)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(restarts, forKey: .restarts)
        try container.encodeIfPresent(restartReason, forKey: .restartReason)
        try container.encode(writesFile, forKey: .writesFile)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(TargetKind.self, forKey: .kind)
        path = try container.decode(String.self, forKey: .path)
        managed = try container.decode(Bool.self, forKey: .managed)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        changes = try container.decode([PlannedChange].self, forKey: .changes)
        warnings = try container.decode([String].self, forKey: .warnings)
        restarts = try container.decodeIfPresent([String].self, forKey: .restarts) ?? []
        restartReason = try container.decodeIfPresent(String.self, forKey: .restartReason)
        stopBeforeWrite = false
    }
}

/// One line of the plan: what changes, why, and what it costs.
public struct PlannedChange: Sendable, Codable, Hashable {
    public enum Action: String, Sendable, Codable, Hashable {
        case add, change, remove

        public var symbol: String {
            switch self {
            case .add: return "+"
            case .change: return "~"
            case .remove: return "-"
            }
        }
    }

    /// How a change moves the boundary between the internet and the home network.
    public enum Exposure: String, Sendable, Codable, Hashable {
        case becomesPublic = "becomes_public"
        case stopsBeingPublic = "stops_being_public"
    }

    public var action: Action
    /// The service or setting concerned.
    public var subject: String
    public var summary: String
    public var reason: String
    public var exposure: Exposure?
    /// Services or containers this change restarts or recreates.
    public var restarts: [String]
    /// Lines of the live file this change replaces, as `first-last`.
    public var lines: String?

    public init(action: Action, subject: String, summary: String, reason: String, exposure: Exposure? = nil,
                restarts: [String] = [], lines: String? = nil) {
        self.action = action
        self.subject = subject
        self.summary = summary
        self.reason = reason
        self.exposure = exposure
        self.restarts = restarts
        self.lines = lines
    }
}
