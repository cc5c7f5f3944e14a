import FoundationEssentials
import Glibc

/// Runs one command with a deadline, for every adapter that runs programs (Compose, the Docker CLI,
/// Home Assistant's control commands).
///
/// The command's end is its own process's exit: a start script may leave a daemon holding its stdout,
/// and waiting for EOF would wait for the daemon (as Foundation's Process does). At the deadline its
/// process group (it and what it started, e.g. the plugin process behind `docker compose`) gets SIGTERM,
/// then SIGKILL after `terminationGrace`. See `SubprocessLaunch` for what the command inherits.
enum Subprocess {
    /// After SIGTERM at the deadline, how long the group gets before SIGKILL.
    static let terminationGrace: Duration = .seconds(2)
    /// Bytes kept of each stream by default: far beyond a `docker inspect` of a gateway's containers,
    /// and still a bound for a runaway command.
    static let defaultKept = 8 << 20

    /// Runs `command` (argv[0] resolved on the PATH of `environment`) with exactly `environment`, and
    /// `input` on stdin. Throws only when it did not run to its end; a non-zero status is the caller's call.
    static func run(_ command: [String], environment: [String: String], input: [UInt8]? = nil,
                    timeout: Duration, kept: Int = defaultKept) throws(SubprocessError) -> SubprocessOutput {
        let name = command.first ?? ""
        guard let executable = resolve(name, environment: environment) else {
            let reason = name.isEmpty ? "the command is empty"
                : name.contains("/") ? "\(name) is not an executable file" : "\(name) was not found on the PATH"
            throw SubprocessError(kind: .notFound, command: command, reason: reason)
        }
        let launch = try SubprocessLaunch.spawn(executable, argv: command, environment: environment, input: input)
        defer { launch.closeReadEnds() }
        var watch = SubprocessWatch(launch, deadline: .now + timeout, grace: terminationGrace, kept: kept)
        let (status, timedOut) = watch.untilExit()
        if timedOut {
            throw SubprocessError(kind: .timedOut, command: command, reason: "killed after \(timeout)",
                                  stdout: watch.stdout.text, stderr: watch.stderr.text)
        }
        // Exited: the code is in bits 8-15; ended by a signal: 128 + the signal, as shells report it.
        let signal = status & 0x7f
        return SubprocessOutput(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, signal: signal == 0 ? nil : signal,
                                stdout: watch.stdout.text, stderr: watch.stderr.text)
    }

    /// The file `name` names: itself when it holds a slash, else the first executable regular file on
    /// the command's PATH (reconcile's own when the environment has none).
    static func resolve(_ name: String, environment: [String: String]) -> String? {
        if name.contains("/") { return isExecutableFile(name) ? name : nil }
        let path = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").lazy.filter { !$0.isEmpty }.map { "\($0)/\(name)" }.first(where: isExecutableFile)
    }

    /// A directory passes access(X_OK) too, and would fail later as "permission denied".
    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && access(path, X_OK) == 0
    }
}
