import Diagnostics

/// One event rendered for people: the same words on every channel (ntfy's title and body, Apprise's,
/// the webhook's `title` and `message`). Priority follows ntfy's scale (1 min … 5 max).
public struct NotificationMessage: Sendable, Hashable {
    public var event: NotificationEvent
    public var title: String
    public var body: String
    public var priority: Int
    /// ntfy tags (emoji short codes first, then the event's kind).
    public var tags: [String]

    public var kind: NotificationKind { event.kind }

    /// Apprise's notification type: info, success, warning, failure.
    public var severity: String {
        switch event.detail {
        case .recovered: return "success"
        case .exposureWidened, .certificate: return "warning"
        case .commitRefused, .applyFailed, .reconcileFailed: return "failure"
        }
    }

    public init(_ event: NotificationEvent) {
        self.event = event
        let gateway = event.gateway
        let commit = event.commit.map { "commit \($0.short)" } ?? "the current commit"
        var lines: [String] = []
        if let commit = event.commit {
            lines.append("Commit \(commit.short) \"\(commit.subject)\"" + (commit.author.map { " by \($0)" } ?? ""))
        }
        if event.reminder, let since = event.since {
            lines.append("Reminder: still failing, since \(Self.time(since)).")
        }
        switch event.detail {
        case .exposureWidened(let widenings):
            if let only = widenings.first, widenings.count == 1 {
                title = "\(gateway): https://\(only.host) is now \(only.now.isOpen ? "open to the internet" : "reachable more widely")"
            } else {
                title = "\(gateway): \(widenings.count) hosts are now reachable more widely"
            }
            for widening in widenings.prefix(Self.shown) {
                let host = widening.now
                var line = widening.was.map { "Access of \(host.service) (https://\(host.host)) widened: \($0.description) -> \(host.description)" }
                    ?? "\(host.service) is now served at https://\(host.host) (access: \(host.description))"
                if let at = host.declaredAt { line += ", declared at \(at)" }
                lines.append(line + ".")
            }
            if widenings.count > Self.shown { lines.append("(and \(widenings.count - Self.shown) more: the status report lists every host)") }
            (priority, tags) = (4, ["globe_with_meridians", event.kind.rawValue])
        case .commitRefused(let facts):
            title = "\(gateway): \(commit) refused (\(facts.reason))"
            lines.append("Refused: \(Self.why(facts)). Nothing on the gateway was changed.")
            lines += Self.problems(facts)
            (priority, tags) = (4, ["no_entry", event.kind.rawValue])
        case .applyFailed(let facts):
            let how = facts.rollbackFailed ? "rollback FAILED" : "rolled back"
            title = "\(gateway): apply of \(commit) failed, \(how) (\(facts.failure.reason))"
            lines.append("Failed at step \(facts.step ?? "(before the first step)"): \(Self.why(facts.failure)).")
            lines += Self.problems(facts.failure)
            if facts.rollbackFailed {
                lines.append("The rollback failed too: act by hand." + (facts.rollbackFailure.map { " \($0)" } ?? ""))
            } else {
                lines.append(facts.restored.isEmpty ? "Rolled back: nothing had been written."
                             : "Rolled back: restored \(facts.restored.joined(separator: ", ")).")
            }
            if !facts.changes.isEmpty {
                lines.append("It was applying:")
                lines += facts.changes.prefix(Self.shown).map(Self.describe)
                if facts.changes.count > Self.shown { lines.append("  (and \(facts.changes.count - Self.shown) more)") }
            }
            if !facts.steps.isEmpty {
                lines.append("What ran:")
                lines += facts.steps.prefix(Self.shown).map { "  \($0)" }
                if facts.steps.count > Self.shown { lines.append("  (and \(facts.steps.count - Self.shown) more)") }
            }
            (priority, tags) = facts.rollbackFailed ? (5, ["rotating_light", event.kind.rawValue]) : (4, ["warning", event.kind.rawValue])
        case .reconcileFailed(let facts):
            title = "\(gateway): reconcile failed (\(facts.reason))"
            lines.append("Stopped: \(Self.why(facts)).")
            lines += Self.problems(facts)
            (priority, tags) = (3, ["warning", event.kind.rawValue])
        case .certificate(let alert):
            switch alert.problem {
            case .failing(let why):
                title = "\(gateway): the certificate of \(alert.host) is failing"
                lines.append(why)
            case .expiresSoon(let days):
                title = "\(gateway): the certificate of \(alert.host) expires " + (days < 1 ? "within a day" : "in \(days) day(s)")
                lines.append("Caddy has not renewed it halfway through its renewal window: its renewals fail.")
            }
            (priority, tags) = (4, ["lock", event.kind.rawValue])
        case .recovered(let after, let reason, let since):
            title = "\(gateway): recovered, \(commit) applied"
            lines.append("Reconciles succeed again after \(after.rawValue) (\(reason)) since \(Self.time(since)).")
            (priority, tags) = (3, ["white_check_mark", event.kind.rawValue])
        }
        body = lines.joined(separator: "\n")
    }

    /// `invalid_desired_state, terminal: waits for a new commit`.
    static func why(_ facts: FailureFacts) -> String {
        facts.reason + (facts.retryable ? ", retryable: the next reconcile tries again" : ", terminal: waits for a new commit or a fixed setting")
    }

    /// Lines of problems or changes a message lists: phones show a few, ntfy keeps 4 KB.
    static let shown = 5

    /// The positioned problems (`file:line:column: message`), else the message's first lines.
    static func problems(_ facts: FailureFacts) -> [String] {
        if !facts.diagnostics.isEmpty {
            var lines = facts.diagnostics.prefix(shown).map(\.description)
            if facts.diagnostics.count > shown { lines.append("(and \(facts.diagnostics.count - shown) more)") }
            return lines
        }
        return facts.message.split(whereSeparator: \.isNewline).prefix(shown).map(String.init)
    }

    static func describe(_ change: ChangeFacts) -> String {
        var line = "  \(change.summary)"
        if let region = change.region { line += " [\(region)]" }
        if !change.restarts.isEmpty { line += " (restarts \(change.restarts.joined(separator: ", ")))" }
        if let at = change.declaredAt { line += ", declared at \(at)" }
        return line
    }

    /// ISO 8601 UTC, as the status report writes times.
    static func time(_ seconds: Int64) -> String { StatusTime(secondsSince1970: seconds).description }
}
