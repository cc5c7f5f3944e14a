import Adapters
import Planner

/// One thing an apply did (or left to the user), as a value, with the plan's changes that called for it.
/// The CLI's lines, the log, the status report, the page and the notifications are renderings of these.
public struct JournalEntry: Sendable, Hashable {
    public enum Event: Sendable, Hashable {
        case backedUp(path: String, backup: String)
        case wrote(path: String)
        case removed(path: String)
        /// A rollback put the file's old bytes back.
        case restored(path: String)
        /// `through`: how Caddy was reached ("Caddy's admin API at …", "Caddy in its container …").
        case caddyLoaded(through: String)
        case composeUp(services: [String])
        case homeAssistantStopped(service: String)
        case homeAssistantStarted(service: String)
        case homeAssistantRestarted(service: String)
        /// Home Assistant's file read again once it stopped; `changed`: planned again from what was there.
        case reread(path: String, changed: Bool)
        case trialConfigured(path: String)
        case trialLeftUnpromoted(path: String)
        case trialPromoted(path: String)
        /// No runtime was given for it: the user must do it.
        case leftToUser(ManualTask)
    }

    /// What the user must still do by hand, for lack of a runtime for it.
    public enum ManualTask: Sendable, Hashable {
        case reloadCaddy
        case bringUp(services: [String])
        case restartHomeAssistant(service: String)

        public var text: String {
            switch self {
            case .reloadCaddy: return "reload Caddy to serve the new Caddyfile"
            case .bringUp(let services): return "bring up \(services.joined(separator: ", ")) (docker compose up -d --no-deps …)"
            case .restartHomeAssistant(let service): return "restart \(service) for its new http settings to take effect"
            }
        }
    }

    public var event: Event
    /// Part of a rollback.
    public var undoing: Bool
    /// The plan's changes this step carries out: which service, which live lines, declared where.
    public var causes: [PlannedChange]

    public init(_ event: Event, undoing: Bool = false, causes: [PlannedChange] = []) {
        self.event = event
        self.undoing = undoing
        self.causes = causes
    }

    /// Short, for logs and `--json`.
    public var name: String {
        switch event {
        case .backedUp: return "backed_up"
        case .wrote: return "wrote"
        case .removed: return "removed"
        case .restored: return "restored"
        case .caddyLoaded: return "caddy_loaded"
        case .composeUp: return "compose_up"
        case .homeAssistantStopped: return "home_assistant_stopped"
        case .homeAssistantStarted: return "home_assistant_started"
        case .homeAssistantRestarted: return "home_assistant_restarted"
        case .reread: return "reread"
        case .trialConfigured: return "trial_configured"
        case .trialLeftUnpromoted: return "trial_left_unpromoted"
        case .trialPromoted: return "trial_promoted"
        case .leftToUser: return "left_to_user"
        }
    }

    /// The step alone, for people: `wrote /usr/local/caddy/Caddyfile`.
    public var text: String {
        let line: String
        switch event {
        case .backedUp(_, let backup): line = "backup \(backup)"
        case .wrote(let path): line = "wrote \(path)"
        case .removed(let path): line = "removed \(path)"
        case .restored(let path): line = "restored \(path)"
        case .caddyLoaded(let through):
            line = undoing ? "Caddy loaded the previous Caddyfile through \(through)" : "Caddy loaded the new Caddyfile through \(through)"
        case .composeUp(let services): line = "up -d --no-deps \(services.joined(separator: " "))"
        case .homeAssistantStopped: line = "stopped Home Assistant"
        case .homeAssistantStarted: line = "started Home Assistant"
        case .homeAssistantRestarted: line = "restarted Home Assistant"
        case .reread(let path, let changed):
            line = changed ? "read \(path) again once Home Assistant stopped: it changed since the plan, so it was planned again from what is there now"
                           : "read \(path) again once Home Assistant stopped: unchanged"
        case .trialConfigured(let path): line = "Home Assistant's own trial: configured \(path)'s data.stable; Home Assistant runs it as a trial"
        case .trialLeftUnpromoted(let path):
            line = "Home Assistant's trial of \(path) is not promoted: Home Assistant goes back to its data.stable by itself within 5 minutes"
        case .trialPromoted(let path): line = "Home Assistant's own trial: probed, promoted \(path)'s data.stable"
        case .leftToUser(let task): return "not done (no runtime for it): \(task.text)"
        }
        return undoing ? "rollback: " + line : line
    }

    /// The step with why it ran, on one line: `wrote …/docker-compose.yml (lines 26, 38) for jellyfin (exposure.yaml:43:3), nextcloud`.
    /// `declaredAt` finds where the desired state declares a service (or the one exposing a compose service).
    public func text(declaredAt: (String) -> String?) -> String {
        why(declaredAt: declaredAt).map { text + " " + $0 } ?? text
    }

    /// Why it ran: the live lines it touched and the services it was for, each with where it is declared;
    /// nil for a step of a rollback, or one no change called for.
    public func why(declaredAt: (String) -> String?) -> String? {
        guard !causes.isEmpty, !undoing else { return nil }
        var lines: [String] = []
        var services: [String] = []
        let isWrite: Bool
        switch event {
        case .wrote, .removed: isWrite = true
        default: isWrite = false
        }
        for change in causes {
            if isWrite, let range = change.lines?.description, !lines.contains(range) { lines.append(range) }
            let name = change.service ?? change.composeService ?? change.subject
            let shown = (change.service ?? change.composeService).flatMap(declaredAt).map { "\(name) (\($0))" } ?? name
            if !services.contains(shown) { services.append(shown) }
        }
        let at = lines.isEmpty ? "" : "(line\(lines.count == 1 && !lines[0].contains("-") ? "" : "s") \(lines.joined(separator: ", "))) "
        return at + "for " + services.joined(separator: ", ")
    }
}

extension Plan {
    /// The changes an action carries out: a file's own changes for its write and its activation; for
    /// `up`, the compose changes that restart those services.
    func causes(of action: ApplyAction) -> [PlannedChange] {
        switch action {
        case .write(let path, _, _, _):
            return targets.first { $0.path == path }?.changes ?? []
        case .loadCaddy:
            return target(.caddyfile)?.changes ?? []
        case .composeUp(let services):
            return (target(.compose)?.changes ?? []).filter { !Set($0.restarts).isDisjoint(with: services) || $0.composeService.map(services.contains) == true }
        case .restartHomeAssistant, .startHomeAssistant, .configureHomeAssistantTrial, .promoteHomeAssistantTrial:
            return target(.homeAssistant)?.changes ?? []
        default:
            return []
        }
    }
}
