import Diagnostics
import FoundationEssentials
import Webhooks

/// A POST a channel sends, as a value: where, which headers, which bytes. The adapter only carries it.
public struct OutgoingPost: Sendable, Hashable {
    public var url: String
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(url: String, headers: [Header], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// ntfy: JSON publishing (`POST` to the server's root with the topic in the body), so titles and bodies
/// in any language pass without header encoding. The topic URL is split at its last path segment.
public enum NtfyFormat {
    /// nil when the URL has no topic (`https://ntfy.sh/` alone).
    public static func split(topicURL: String) -> (server: String, topic: String)? {
        var url = Substring(topicURL)
        while url.hasSuffix("/") { url = url.dropLast() }
        guard let scheme = url.firstRange(of: "://"), let slash = url.lastIndex(of: "/"), slash > scheme.upperBound else { return nil }
        let topic = url[url.index(after: slash)...]
        guard !topic.isEmpty, !topic.contains("?"), !topic.contains("#") else { return nil }
        return (String(url[...slash]), String(topic))
    }

    struct Payload: Encodable {
        var topic: String
        var title: String
        var message: String
        var priority: Int
        var tags: [String]
    }

    public static func post(_ message: NotificationMessage, topicURL: String, token: String?) -> OutgoingPost? {
        guard let (server, topic) = split(topicURL: topicURL).map({ ($0.server, $0.topic) }) else { return nil }
        let payload = Payload(topic: topic, title: message.title, message: message.body, priority: message.priority, tags: message.tags)
        var headers = [OutgoingPost.Header("Content-Type", "application/json")]
        if let token { headers.append(.init("Authorization", "Bearer \(token)")) }
        return OutgoingPost(url: server, headers: headers, body: JSON.encode(payload))
    }
}

/// The generic webhook: a documented JSON payload (README "Notifications"), signed like reconcile's own
/// webhook (`X-Reconcile-Signature: sha256=HEX`, HMAC-SHA256 of the exact body bytes).
public enum WebhookFormat {
    public static let schema = 1

    struct Payload: Encodable {
        var schema = WebhookFormat.schema
        var event: String
        var gateway: String
        var title: String
        var message: String
        var priority: Int
        var reminder: Bool
        var since: String?
        var sentAt: String
        var commit: CommitRef?
        var reason: String?
        var retryable: Bool?
        var diagnostics: [Position]?
        var step: String?
        var restored: [String]?
        var rollbackFailed: Bool?
        var hosts: [Widening]?
        var certificate: Certificate?

        enum CodingKeys: String, CodingKey {
            case schema, event, gateway, title, message, priority, reminder, since, commit, reason, retryable, diagnostics, step
            case restored, hosts, certificate
            case sentAt = "sent_at"
            case rollbackFailed = "rollback_failed"
        }
    }

    struct Certificate: Encodable {
        var host: String
        var problem: String
        var daysLeft: Int?
        enum CodingKeys: String, CodingKey {
            case host, problem
            case daysLeft = "days_left"
        }
    }

    struct Position: Encodable {
        var file: String
        var line: Int?
        var column: Int?
        var message: String
        var hint: String?
    }

    public static func body(_ message: NotificationMessage, now: Int64) -> [UInt8] {
        let event = message.event
        var payload = Payload(event: event.kind.rawValue, gateway: event.gateway, title: message.title, message: message.body,
                              priority: message.priority, reminder: event.reminder, since: event.since.map(NotificationMessage.time),
                              sentAt: NotificationMessage.time(now), commit: event.commit)
        func failure(_ facts: FailureFacts) {
            (payload.reason, payload.retryable) = (facts.reason, facts.retryable)
            payload.diagnostics = facts.diagnostics.map { Position(file: $0.file, line: $0.position?.line, column: $0.position?.column,
                                                                   message: $0.message, hint: $0.hint) }
        }
        switch event.detail {
        case .exposureWidened(let widenings): payload.hosts = widenings
        case .commitRefused(let facts), .reconcileFailed(let facts): failure(facts)
        case .applyFailed(let facts):
            failure(facts.failure)
            (payload.step, payload.restored, payload.rollbackFailed) = (facts.step, facts.restored, facts.rollbackFailed)
        case .certificate(let alert):
            switch alert.problem {
            case .failing(let why): (payload.certificate, payload.reason) = (Certificate(host: alert.host, problem: "failing"), why)
            case .expiresSoon(let days): payload.certificate = Certificate(host: alert.host, problem: "expiring", daysLeft: days)
            }
        case .recovered(_, let reason, _): payload.reason = reason
        }
        return JSON.encode(payload)
    }

    public static func post(_ message: NotificationMessage, url: String, secret: [UInt8]?, now: Int64) -> OutgoingPost {
        let body = body(message, now: now)
        var headers = [OutgoingPost.Header("Content-Type", "application/json"), .init("X-Reconcile-Event", message.kind.rawValue)]
        if let secret { headers.append(.init(WebhookSignature.header, WebhookSignature.sign(body, secret: secret))) }
        return OutgoingPost(url: url, headers: headers, body: body)
    }
}

enum JSON {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers, booleans and arrays of them: encoding cannot fail.
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
