import FoundationEssentials
import Notifications

/// ntfy: JSON publishing to the topic's server, with a bearer token read from `tokenFile` at each send.
public struct NtfyChannel: NotificationChannel {
    public var topicURL: String
    public var tokenFile: String?

    public init(topicURL: String, tokenFile: String?) {
        self.topicURL = topicURL
        self.tokenFile = tokenFile
    }

    public var label: String { "ntfy" }
    public var name: String { "ntfy \(safeHost(topicURL))" }
    public var attemptTimeout: Double { 4 }

    public func send(_ message: NotificationMessage, now: Int64, timeout: Double) throws(NotifyError) {
        let token = try tokenFile.map { path throws(NotifyError) in try readSecret(path, what: "token", target: name) }
        guard let post = NtfyFormat.post(message, topicURL: topicURL, token: token) else {
            throw NotifyError(target: name, reason: "the topic URL names no topic", retryable: false)
        }
        try CurlPost.send(post, timeout: timeout, target: name)
    }
}
