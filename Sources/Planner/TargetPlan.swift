import Caddyfile
import Compose
import HomeAssistant

/// One live target (a file, and what activating it costs).
public struct TargetPlan: Sendable, Encodable {
    public var kind: TargetKind
    public var path: String
    public var note: String?
    /// What the target's own software will do with what it finds (Home Assistant's pending config…).
    public var notes: [HomeAssistantNote] = []
    /// The Home Assistant target only: why it reads the file it does (`note` holds its explanation).
    public var homeAssistantMode: HomeAssistantModeReason?
    public var changes: [PlannedChange]
    public var warnings: [PlanWarning]
    /// What an apply starts, restarts or recreates for this target, how, and why.
    public var restart: ServiceRestart?
    /// The file as read, and as it will be written; nil `newContent` means no write.
    public var currentContent: [UInt8]?
    public var newContent: [UInt8]?
    /// The Caddyfile target only: the Caddy its managed blocks were written for.
    public var renderedFor: CaddySyntax?
    /// The compose target only, when the engine was read: which Compose created the containers, which would run.
    public var composeClients: ComposeClients?

    public init(kind: TargetKind, path: String, note: String? = nil, changes: [PlannedChange] = [],
                warnings: [PlanWarning] = [], restart: ServiceRestart? = nil,
                currentContent: [UInt8]? = nil, newContent: [UInt8]? = nil) {
        self.kind = kind
        self.path = path
        self.note = note
        self.changes = changes
        self.warnings = warnings
        self.restart = restart
        self.currentContent = currentContent
        self.newContent = newContent
    }

    public var writesFile: Bool { newContent != nil && newContent != currentContent }
    /// Its new content reaches the file through Home Assistant's own trial, not through a write of ours.
    public var goesThroughHomeAssistantTrial: Bool { restart?.mode == .homeAssistantTrial }
    /// The services `restart` names (none without one).
    public var restarts: [String] { restart?.services ?? [] }

    enum CodingKeys: String, CodingKey {
        case kind, path, note, notes, changes, warnings, restart
        case writesFile = "writes_file"
        case renderedForCaddy = "rendered_for_caddy"
        case composeClients = "compose_clients"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(note, forKey: .note)
        if !notes.isEmpty { try container.encode(notes.map(\.explanation), forKey: .notes) }
        try container.encode(changes, forKey: .changes)
        try container.encode(warnings, forKey: .warnings)
        try container.encodeIfPresent(restart, forKey: .restart)
        try container.encode(writesFile, forKey: .writesFile)
        // "2.11.7", or "unknown" (portable syntax); absent for targets that are not the Caddyfile.
        if let renderedFor { try container.encode(renderedFor.version?.description ?? "unknown", forKey: .renderedForCaddy) }
        try container.encodeIfPresent(composeClients, forKey: .composeClients)
    }
}

/// The Compose that created a project's containers, and the one an apply would run `up` with (issue #24: the
/// other major recreates and renames what it did not create).
public struct ComposeClients: Sendable, Encodable, Hashable {
    /// From the containers' `com.docker.compose.version` labels, one per major, most containers first.
    public var createdBy: [ComposeClientVersion]
    public var runs: ComposeClientVersion

    enum CodingKeys: String, CodingKey {
        case createdBy = "created_by", runs
    }

    /// "containers created by Compose v2 (2.40.3); up runs Compose v1 (1.29.2), found by auto"
    public var summary: String {
        let created = createdBy.isEmpty ? "no container yet" : "containers created by " + createdBy.map(\.name).joined(separator: " and ")
        return "\(created); up runs \(runs.name), \(runs.chosen ? "chosen with --compose" : "found by --compose auto")"
    }
}

/// Services an apply must (re)start for a target's new content to take effect.
public struct ServiceRestart: Sendable, Encodable, Hashable {
    public enum Mode: String, Sendable, Encodable, Hashable {
        /// `up -d --no-deps SERVICES`: creates, starts or recreates them (Compose).
        case composeUp = "compose_up"
        /// Restart after the write: the service reads its settings only at start (Home Assistant, YAML mode).
        case restart
        /// Stop before the write, start after: the service rewrites the file from memory (Home Assistant, storage mode).
        case stopWriteStart = "stop_write_start"
        /// Home Assistant's own trial (storage mode, with an access token): `http/config/configure` → probe →
        /// `http/config/promote`. Home Assistant writes the file itself; reconcile neither writes nor stops it.
        case homeAssistantTrial = "home_assistant_trial"
    }

    public var mode: Mode
    public var services: [String]
    /// Why, in words for the plan's reader.
    public var reason: String

    public init(mode: Mode, services: [String], reason: String) {
        self.mode = mode
        self.services = services
        self.reason = reason
    }

    /// One line for the plan; `reason` is the whole of it (`--verbose`, `--json`).
    public var line: String {
        switch mode {
        case .stopWriteStart: return "stop Home Assistant, read the file again, write data.stable, start it (rollback: stop, restore, start)"
        case .homeAssistantTrial: return "through Home Assistant's own trial: http/config/configure, probe through Caddy, http/config/promote"
        case .composeUp, .restart: return reason
        }
    }
}
