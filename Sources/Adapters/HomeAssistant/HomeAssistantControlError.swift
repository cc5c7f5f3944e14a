/// Why stopping, starting or restarting Home Assistant failed, with what was run and what it said.
public struct HomeAssistantControlError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, Hashable {
        case commandMissing = "the Home Assistant control command is not installed"
        case launchFailed = "the Home Assistant control command could not be started"
        case commandFailed = "the Home Assistant control command failed"
        case timeout = "the Home Assistant control command timed out"
        case notReady = "Home Assistant did not answer in time"
    }

    public var kind: Kind
    /// The argument vector, executable first; for `notReady`, the command run before waiting (empty for a bare wait).
    public var command: [String]
    /// Nil when the command never ran, was killed at its timeout, or ended by a signal.
    public var exitStatus: Int32?
    /// Everything the command wrote to stderr (or the launch error).
    public var stderr: String
    /// What reconcile was doing, e.g. "restarting Home Assistant".
    public var context: String?
    /// For `notReady`: the URL polled and its last answer ("connection refused", "HTTP 503").
    public var readinessURL: String?
    public var lastAnswer: String?

    public init(kind: Kind, command: [String], exitStatus: Int32? = nil, stderr: String = "", context: String? = nil,
                readinessURL: String? = nil, lastAnswer: String? = nil) {
        self.kind = kind
        self.command = command
        self.exitStatus = exitStatus
        self.stderr = stderr
        self.context = context
        self.readinessURL = readinessURL
        self.lastAnswer = lastAnswer
    }

    /// A missing binary is a settings problem that a retry will not fix; everything else is the world
    /// (a slow container, a busy engine) and may pass on the next cycle.
    public var isRetryable: Bool { kind != .commandMissing }

    public var description: String {
        var text = kind.rawValue
        if !command.isEmpty { text += ": `\(command.map(Self.quoted).joined(separator: " "))`" }
        if let exitStatus { text += " exited with status \(exitStatus)" }
        if let context { text += " (\(context))" }
        if let readinessURL { text += "; polled \(readinessURL)" + (lastAnswer.map { ", last answer: \($0)" } ?? "") }
        // The end of stderr says what went wrong (a traceback's last lines, compose's error).
        let lines = stderr.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        if !lines.isEmpty {
            let tail = lines.suffix(6)
            text += ":\n  " + (lines.count > tail.count ? "…\n  " : "") + tail.joined(separator: "\n  ")
        }
        return text
    }

    static func quoted(_ argument: String) -> String {
        argument.isEmpty || argument.contains(where: { " \"'$\\*".contains($0) })
            ? "'" + argument.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
            : argument
    }
}

extension HomeAssistantControlError {
    /// A control command that did not run to its end: it could not start, or was killed at its timeout.
    init(_ error: SubprocessError, context: String) {
        switch error.kind {
        case .notFound:
            self.init(kind: .commandMissing, command: error.command, stderr: error.reason, context: context)
        case .launchFailed:
            self.init(kind: .launchFailed, command: error.command, stderr: error.reason, context: context)
        case .timedOut:
            self.init(kind: .timeout, command: error.command, stderr: error.stderr + "\n(\(error.reason))", context: context)
        }
    }
}
