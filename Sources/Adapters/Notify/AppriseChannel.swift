import FoundationEssentials
import Notifications

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
    public var name: String { "apprise \(URL(fileURLWithPath: urlFile).lastPathComponent)" }
    public var attemptTimeout: Double { 10 }

    public func send(_ message: NotificationMessage, now: Int64, timeout: Double) throws(NotifyError) {
        // Apprise reads the file itself: its URLs hold tokens, so it must be private as any secret file.
        do { try SecretFile.checkPrivate(urlFile, what: "the Apprise URL file") } catch {
            throw NotifyError(target: name, reason: "cannot use the URL file \(urlFile): \(error.reasonWithAdvice)", retryable: error.kind == .system)
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
