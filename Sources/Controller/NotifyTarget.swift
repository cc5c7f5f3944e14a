import Adapters
import Diagnostics
import Notifications
import YAMLEdit

/// One entry of the settings file's `notify:` list: where messages go, and which events.
///
/// ```yaml
/// notify:
///   - ntfy: https://ntfy.example.org/gateway-alerts
///     token_file: /usr/local/reconcile/ntfy-token        # optional: an access token, first line
///   - webhook: https://hooks.example.org/reconcile
///     secret_file: /usr/local/reconcile/notify-secret    # optional: signs the payload (X-Reconcile-Signature)
///     events: [commit_refused, apply_failed, recovered]  # optional: only these
///   - apprise: /usr/local/reconcile/apprise-urls         # a file of Apprise URLs (they hold tokens)
/// ```
public struct NotifyTarget: Sendable, Hashable {
    public enum Channel: Sendable, Hashable {
        case ntfy(topicURL: String, tokenFile: String?)
        case webhook(url: String, secretFile: String?)
        case apprise(urlFile: String)
    }

    public var channel: Channel
    /// nil: every event.
    public var events: Set<NotificationKind>?

    public init(channel: Channel, events: Set<NotificationKind>? = nil) {
        self.channel = channel
        self.events = events
    }

    static let kinds = ["ntfy", "webhook", "apprise"]
    static let keys = kinds + ["token_file", "secret_file", "events"]

    /// `notify:`, a list of targets; every problem at its `file:line:column`.
    static func parseList(_ node: YAMLNode, file: String) throws(DiagnosticList) -> [NotifyTarget] {
        guard let items = node.items else {
            throw DiagnosticList([Diagnostic(file: file, position: node.start.position, message: "'notify' must be a list of targets",
                                             hint: "e.g. notify: [{ntfy: https://ntfy.sh/my-topic}]")])
        }
        var targets: [NotifyTarget] = []
        var problems: [Diagnostic] = []
        for item in items {
            do { targets.append(try parse(item, file: file)) } catch { problems.append(error) }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return targets
    }

    static func parse(_ node: YAMLNode, file: String) throws(Diagnostic) -> NotifyTarget {
        func problem(_ at: YAMLNode, _ message: String, hint: String? = nil) -> Diagnostic {
            Diagnostic(file: file, position: at.start.position, message: message, hint: hint)
        }
        guard let pairs = node.pairs else {
            throw problem(node, "a notify target must be a mapping", hint: "one of: - ntfy: URL, - webhook: URL, - apprise: URL_FILE")
        }
        var values: [String: (value: String, node: YAMLNode)] = [:]
        var events: Set<NotificationKind>?
        for pair in pairs {
            let key = pair.key.scalarValue ?? ""
            guard keys.contains(key) else {
                throw SettingsFile.unknownSetting(key, shownAs: "notify.\(key)", keys: keys, file: file, at: pair.key.start.position)
            }
            if key == "events" {
                events = try kindList(pair.value, file: file)
                continue
            }
            guard let value = pair.value.scalarValue, pair.value.tag == nil, !value.isEmpty else {
                throw problem(pair.value, "'notify.\(key)' must be a value")
            }
            values[key] = (value, pair.value)
        }
        let named = kinds.filter { values[$0] != nil }
        guard named.count == 1, let kind = named.first, let (value, at) = values[kind].map({ ($0.value, $0.node) }) else {
            throw problem(node, named.isEmpty ? "a notify target names no channel" : "a notify target names more than one channel (\(named.joined(separator: ", ")))",
                          hint: "one of: ntfy, webhook, apprise")
        }
        func only(_ key: String, with channel: String) throws(Diagnostic) -> String? {
            guard let entry = values[key] else { return nil }
            guard kind == channel else { throw problem(entry.node, "'\(key)' belongs to a \(channel) target, not to \(kind)") }
            return entry.value
        }
        let tokenFile = try only("token_file", with: "ntfy"), secretFile = try only("secret_file", with: "webhook")
        switch kind {
        case "ntfy":
            guard isHTTP(value), NtfyFormat.split(topicURL: value) != nil else {
                throw problem(at, "'ntfy' must be the topic's URL", hint: "e.g. https://ntfy.sh/my-gateway-alerts")
            }
            // As for git: a token never crosses a network in the clear; a server on this machine is the exception.
            if tokenFile != nil, value.hasPrefix("http://"), !isLoopbackURL(value) {
                throw problem(at, "a token_file is never sent over plain http:// to another machine (\(value)): anyone on the way could read it",
                              hint: "use the server's https:// URL, or reach it on this machine (http://127.0.0.1:PORT/…)")
            }
            return NotifyTarget(channel: .ntfy(topicURL: value, tokenFile: tokenFile), events: events)
        case "webhook":
            guard isHTTP(value) else { throw problem(at, "'webhook' must be an http:// or https:// URL") }
            return NotifyTarget(channel: .webhook(url: value, secretFile: secretFile), events: events)
        default:
            guard !value.contains("://") else {
                throw problem(at, "'apprise' is the path of a file holding the Apprise URL, not the URL itself",
                              hint: "Apprise URLs hold tokens: put them in a file readable by reconcile only")
            }
            return NotifyTarget(channel: .apprise(urlFile: value), events: events)
        }
    }

    static func kindList(_ node: YAMLNode, file: String) throws(Diagnostic) -> Set<NotificationKind> {
        let allowed = NotificationKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let items = node.items, !items.isEmpty else {
            throw Diagnostic(file: file, position: node.start.position, message: "'events' must be a list of events", hint: allowed)
        }
        var kinds: Set<NotificationKind> = []
        for item in items {
            guard let word = item.scalarValue, let kind = NotificationKind(rawValue: word) else {
                throw Diagnostic(file: file, position: item.start.position, message: "'\(item.scalarValue ?? "")' is not an event",
                                 hint: Suggestion.nearest(to: item.scalarValue ?? "", in: NotificationKind.allCases.map(\.rawValue))
                                    .map { "did you mean '\($0)'?" } ?? allowed)
            }
            kinds.insert(kind)
        }
        return kinds
    }

    static func isHTTP(_ url: String) -> Bool { url.hasPrefix("https://") || url.hasPrefix("http://") }

    /// `http://127.0.0.1:8090/topic`, `http://[::1]/…`, `http://localhost/…`: a server on this machine.
    static func isLoopbackURL(_ url: String) -> Bool {
        var host = safeHost(url)
        if host.hasPrefix("[") { host = String(host.dropFirst().prefix { $0 != "]" }) } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        return host == "localhost" || host == "::1" || (host.hasPrefix("127.") && host.split(separator: ".").count == 4)
    }
}
