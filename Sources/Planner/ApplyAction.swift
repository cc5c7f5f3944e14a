/// One thing an apply does to the world. The plan's program is a list of these, each with what undoes it;
/// `ApplyEngine` interprets them through small protocols (Caddy activation, Compose engine, Home Assistant
/// control, file store), so the same program runs against the real gateway and against test doubles.
public enum ApplyAction: Sendable, Hashable {
    /// The way to Caddy the observation looked for answered (the plan names it in `Plan.caddy`).
    case checkCaddyReached
    /// Someone can stop Home Assistant before its `.storage/http` is written (reconcile, or the user who said so).
    case checkHomeAssistantCanStop(path: String)
    /// This apply can run Home Assistant's own trial (a runtime and an access token).
    case checkHomeAssistantTrial(path: String)
    /// The live file may be replaced (not a symbolic link we were told to refuse, its folder writable).
    case checkWritable(path: String)
    /// Caddy adapts the new Caddyfile without loading it: a config Caddy rejects is wrong input.
    case validateCaddy(content: [UInt8])
    /// Compose reads the edited compose file (`config -q` on a copy).
    case validateCompose(content: [UInt8])
    /// A timestamped copy of the file as it is, under the state dir.
    case backUp(path: String, content: [UInt8])
    /// Replace `path` atomically with `new`, where it held `old` (nil: the file did not exist; nil `new`: remove it).
    case write(path: String, target: TargetKind, old: [UInt8]?, new: [UInt8]?)
    /// Record what reconcile added (the ledger in the state dir).
    case saveLedger(Ledger)
    case loadCaddy(content: [UInt8])
    /// `up -d --no-deps SERVICES`.
    case composeUp(services: [String])
    case stopHomeAssistant(service: String)
    /// Start and wait until it answers.
    case startHomeAssistant(service: String)
    /// Restart and wait until it answers.
    case restartHomeAssistant(service: String)
    /// Each host through Caddy, as the internet reaches it.
    case probe(hosts: [ExposedHost])
    /// Storage mode, right after Home Assistant stopped: `path` is read again. Bytes other than `expected`
    /// (Home Assistant saved it, or marked its trial `not_promoted`, before it stopped) are planned again,
    /// and the rest of the program is that new plan's (see `ApplyProgram.continuation`).
    case rereadBeforeWrite(path: String, expected: [UInt8]?)
    /// Home Assistant's own trial (with an access token): `http/config/configure` with `data.stable` of
    /// `storage`, the planned file (metadata stripped), then until Home Assistant runs that trial.
    case configureHomeAssistantTrial(path: String, storage: [UInt8])
    /// The undo of a configure: nothing is promoted, and Home Assistant goes back to its `data.stable` by itself.
    case leaveHomeAssistantTrialUnpromoted(path: String)
    /// `http/config/promote`, once the probes passed, within the trial's window.
    case promoteHomeAssistantTrial(path: String)

    /// Checks read and judge; they change nothing, so a failed check needs no rollback.
    public var isCheck: Bool {
        switch self {
        case .checkCaddyReached, .checkHomeAssistantCanStop, .checkHomeAssistantTrial, .checkWritable, .validateCaddy, .validateCompose:
            return true
        default: return false
        }
    }

    /// Short, for logs and `--json`.
    public var name: String {
        switch self {
        case .checkCaddyReached: return "check_caddy_reached"
        case .checkHomeAssistantCanStop: return "check_home_assistant_can_stop"
        case .checkHomeAssistantTrial: return "check_home_assistant_trial"
        case .checkWritable: return "check_writable"
        case .validateCaddy: return "validate_caddy"
        case .validateCompose: return "validate_compose"
        case .backUp: return "back_up"
        case .write: return "write"
        case .saveLedger: return "save_ledger"
        case .loadCaddy: return "load_caddy"
        case .composeUp: return "compose_up"
        case .stopHomeAssistant: return "stop_home_assistant"
        case .startHomeAssistant: return "start_home_assistant"
        case .restartHomeAssistant: return "restart_home_assistant"
        case .probe: return "probe"
        case .rereadBeforeWrite: return "reread_before_write"
        case .configureHomeAssistantTrial: return "configure_home_assistant_trial"
        case .leaveHomeAssistantTrialUnpromoted: return "leave_home_assistant_trial_unpromoted"
        case .promoteHomeAssistantTrial: return "promote_home_assistant_trial"
        }
    }

    /// What it is about: a path, services, hosts.
    public var object: String? {
        switch self {
        case .checkHomeAssistantCanStop(let path), .checkHomeAssistantTrial(let path), .checkWritable(let path), .backUp(let path, _), .write(let path, _, _, _), .rereadBeforeWrite(let path, _),
             .configureHomeAssistantTrial(let path, _), .leaveHomeAssistantTrialUnpromoted(let path), .promoteHomeAssistantTrial(let path):
            return path
        case .composeUp(let services): return services.joined(separator: " ")
        case .stopHomeAssistant(let service), .startHomeAssistant(let service), .restartHomeAssistant(let service): return service
        case .probe(let hosts): return hosts.map(\.host).joined(separator: " ")
        case .checkCaddyReached, .validateCaddy, .validateCompose, .saveLedger, .loadCaddy: return nil
        }
    }
}

/// An action and what undoes it once it ran: `inverse` runs, in order, when a later step fails.
public struct ApplyStep: Sendable, Hashable, Encodable {
    public var action: ApplyAction
    public var inverse: [ApplyAction]
    /// Run `inverse` even when the action itself failed: it may have half happened (a recreate that
    /// stopped midway, a start that never answered). False for all-or-nothing actions (an atomic write,
    /// a Caddy load that Caddy refused and so never took).
    public var undoWhenItFails: Bool

    public init(_ action: ApplyAction, inverse: [ApplyAction] = [], undoWhenItFails: Bool = false) {
        self.action = action
        self.inverse = inverse
        self.undoWhenItFails = undoWhenItFails
    }

    enum CodingKeys: String, CodingKey { case action, on, undo }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(action.name, forKey: .action)
        try container.encodeIfPresent(action.object, forKey: .on)
        try container.encode(inverse.map(\.name), forKey: .undo)
    }
}
