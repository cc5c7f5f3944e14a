/// What a command that ran to its end left behind.
struct SubprocessOutput: Sendable {
    /// The exit code, or 128 + the signal that ended the command, as shells report it.
    var status: Int32
    /// The signal that ended the command; nil when it exited by itself.
    var signal: Int32?
    /// The end of each stream (see `Subprocess.run`'s `kept`), decoded as UTF-8.
    var stdout: String
    var stderr: String
}

/// Why a command did not run to its end. Each adapter maps it to its own error type.
struct SubprocessError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable, Hashable {
        /// argv[0] is not an executable file, as given or on the PATH.
        case notFound
        /// Setting up or spawning failed with this errno.
        case launchFailed(errno: Int32)
        /// Killed at the deadline; `stdout` and `stderr` hold what it wrote until then.
        case timedOut
    }

    var kind: Kind
    var command: [String]
    /// One line for people: what was missing, strerror, or "killed after 2 seconds".
    var reason: String
    var stdout = ""
    var stderr = ""

    var description: String {
        "`\(command.joined(separator: " "))`: \(reason)" + (stderr.isEmpty ? "" : "\n" + stderr)
    }
}
