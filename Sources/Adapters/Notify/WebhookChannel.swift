import FoundationEssentials
import Notifications

/// The generic JSON webhook, signed with the secret in `secretFile` (first line) when one is given.
public struct WebhookChannel: NotificationChannel {
    public var url: String
    public var secretFile: String?

    public init(url: String, secretFile: String?) {
        self.url = url
        self.secretFile = secretFile
    }

    public var label: String { "webhook" }
    public var name: String { "webhook \(safeHost(url))" }
    public var attemptTimeout: Double { 4 }

    public func send(_ message: NotificationMessage, now: Int64, timeout: Double) throws(NotifyError) {
        let secret = try secretFile.map { path throws(NotifyError) in Array(try readSecret(path, what: "secret", target: name).utf8) }
        try CurlPost.send(WebhookFormat.post(message, url: url, secret: secret, now: now), timeout: timeout, target: name)
    }
}
