import Foundation
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
        let token = try tokenFile.map { path throws(NotifyError) in try firstLine(of: path, what: "token", target: name) }
        guard let post = NtfyFormat.post(message, topicURL: topicURL, token: token) else {
            throw NotifyError(target: name, reason: "the topic URL names no topic", retryable: false)
        }
        try CurlPost.send(post, timeout: timeout, target: name)
    }
}

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
        let secret = try secretFile.map { path throws(NotifyError) in Array(try firstLine(of: path, what: "secret", target: name).utf8) }
        try CurlPost.send(WebhookFormat.post(message, url: url, secret: secret, now: now), timeout: timeout, target: name)
    }
}

/// Any Apprise URL, through the `apprise` command. `urlFile` is handed to it as its configuration file
/// (one URL a line, Apprise's TEXT format): the URL never passes through reconcile, its logs or a command line.
public struct AppriseChannel: NotificationChannel {
    public var urlFile: String
    /// The command; `apprise` on the PATH by default.
    public var command: String

    public init(urlFile: String, command: String = "apprise") {
        self.urlFile = urlFile
        self.command = command
    }

    public var label: String { "apprise" }
    public var name: String { "apprise \((urlFile as NSString).lastPathComponent)" }
    public var attemptTimeout: Double { 10 }

    public func send(_ message: NotificationMessage, now: Int64, timeout: Double) throws(NotifyError) {
        guard FileManager.default.isReadableFile(atPath: urlFile) else {
            throw NotifyError(target: name, reason: "the URL file \(urlFile) cannot be read", retryable: false)
        }
        // The body on standard input (apprise reads it there when -b is not given).
        let argv = [command, "--title", message.title, "--notification-type", message.severity, "--config", urlFile]
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(argv, environment: ProcessInfo.processInfo.environment, input: Array(message.body.utf8),
                                        timeout: .milliseconds(Int(timeout * 1000)), kept: 64 << 10)
        } catch {
            switch error.kind {
            case .notFound: throw NotifyError(target: name, reason: "the apprise command is not installed (pip install apprise)", retryable: false)
            case .timedOut: throw NotifyError(target: name, reason: "apprise did not finish within \(timeout) s", retryable: true)
            case .launchFailed: throw NotifyError(target: name, reason: "cannot run apprise: \(error.reason)", retryable: true)
            }
        }
        // Apprise's own words may quote the URL it was given: they are not repeated.
        guard output.status == 0 else { throw NotifyError(target: name, reason: "apprise exited \(output.status)", retryable: true) }
    }
}

/// The first line of a token or secret file, trimmed; an error (naming the file, never its content) otherwise.
func firstLine(of path: String, what: String, target: String) throws(NotifyError) -> String {
    let bytes: [UInt8]?
    do { bytes = try LiveFileReader.read(path, maxBytes: 64 << 10) } catch {
        throw NotifyError(target: target, reason: "cannot read the \(what) file \(path)", retryable: true)
    }
    let line = bytes.flatMap { String(decoding: $0, as: UTF8.self).split(whereSeparator: \.isNewline).first }
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !line.isEmpty else { throw NotifyError(target: target, reason: "the \(what) file \(path) is missing or empty", retryable: false) }
    return line
}
