import Notifications

/// One place messages go (an ntfy topic, a webhook, an Apprise URL), behind the one call the sender makes.
/// `name` is safe to log: it never holds a token, a topic or a path of a URL.
public protocol NotificationChannel: Sendable {
    /// `ntfy`, `webhook`, `apprise`: the `channel` label of the failure metric.
    var label: String { get }
    /// `ntfy ntfy.example.org`: for logs.
    var name: String { get }
    /// Seconds one attempt may take (Apprise, a Python program loading its plugins, needs about 3 s to start).
    var attemptTimeout: Double { get }
    /// One attempt, within `timeout` seconds. Throws when the message did not arrive.
    func send(_ message: NotificationMessage, now: Int64, timeout: Double) throws(NotifyError)
}

/// Why a message did not arrive. Never holds a secret or a URL (only the channel's safe name).
public struct NotifyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var target: String
    public var reason: String
    /// Worth another attempt (no answer, a 5xx, 429); false when the target refused the message itself (4xx,
    /// a missing token file).
    public var retryable: Bool

    public init(target: String, reason: String, retryable: Bool) {
        self.target = target
        self.reason = reason
        self.retryable = retryable
    }

    public var description: String { "\(target): \(reason)" }
}

/// `scheme://host` of a URL, for a target's safe name (no user, no path, no query).
public func safeHost(_ url: String) -> String {
    guard let scheme = url.firstRange(of: "://") else { return "?" }
    var rest = url[scheme.upperBound...]
    // The authority ends at the first '/'; a password written raw may hold '?' or '#', so the user part
    // (through the last '@') goes before the query or fragment is cut.
    if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
    if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
    if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
    return String(rest)
}
