import EssentialsExtras
import FoundationEssentials
import Glibc

/// A Compose or Docker command that failed, with what was run and what it said.
public struct ComposeRuntimeError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, Hashable {
        case engineDown = "the Docker engine is not reachable"
        case binaryMissing = "the Compose or Docker binary is missing"
        case fileRejected = "Compose rejects the compose file"
        case timeout = "a Compose command timed out"
        case commandFailed = "a Compose command failed"
        case fileSystem = "a file beside the compose file could not be written"
    }

    public var kind: Kind
    /// The argument vector, executable first.
    public var command: [String]
    /// Nil when the command never ran or was killed at its timeout.
    public var exitStatus: Int32?
    /// Everything the command wrote to stderr (or the launch error).
    public var stderr: String
    /// What reconcile was doing, e.g. "validating the edited compose file before writing it".
    public var context: String?

    public init(kind: Kind, command: [String], exitStatus: Int32?, stderr: String, context: String? = nil) {
        self.kind = kind
        self.command = command
        self.exitStatus = exitStatus
        self.stderr = stderr
        self.context = context
    }

    /// The kind, the command, how it ended, and the end of stderr (a Python traceback's last lines say what went wrong).
    public var description: String {
        var text = kind.rawValue
        if !command.isEmpty { text += ": `\(command.map(Self.quoted).joined(separator: " "))`" }
        if let exitStatus { text += " exited with status \(exitStatus)" }
        if let context { text += " (\(context))" }
        let lines = stderr.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingWhitespace().isEmpty }
        if !lines.isEmpty {
            let tail = lines.suffix(Self.stderrLinesShown)
            text += ":\n  " + (lines.count > tail.count ? "…\n  " : "") + tail.joined(separator: "\n  ")
        }
        return text
    }

    /// Lines of stderr a description shows; `stderr` keeps all of it.
    public static let stderrLinesShown = 6

    static func quoted(_ argument: String) -> String {
        argument.isEmpty || argument.contains(where: { " \"'$\\*".contains($0) }) ? "'\(argument.replacing("'", with: "'\\''"))'" : argument
    }
}

extension ComposeRuntimeError {
    /// A command that did not run to its end: it could not start, or was killed at its timeout.
    init(_ error: SubprocessError, context: String? = nil) {
        switch error.kind {
        case .notFound:
            self.init(kind: .binaryMissing, command: error.command, exitStatus: nil, stderr: error.reason, context: context)
        case .launchFailed(let code):
            let missing = code == ENOENT || code == EACCES || code == ENOEXEC
            self.init(kind: missing ? .binaryMissing : .commandFailed, command: error.command, exitStatus: nil,
                      stderr: error.reason, context: context)
        case .timedOut:
            self.init(kind: .timeout, command: error.command, exitStatus: nil, stderr: error.stderr + "\n(\(error.reason))",
                      context: context)
        }
    }
}
