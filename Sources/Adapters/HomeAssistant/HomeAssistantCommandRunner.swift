import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a finished control command left behind.
struct HomeAssistantCommandOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs one control command with a deadline. A start command may leave a daemon behind
/// (`hass-ctl.sh start`, a user's script), and that daemon inherits whatever the command had open:
/// so the end of the command is the end of its own pid (waitpid), never the end of a pipe or of
/// Foundation.Process's internal socket, which a daemon would hold open (Process then waits for the
/// daemon, forever). Output goes to files for the same reason. The child leads its own process
/// group, so a timeout ends it and everything it started that stayed in the group; stdin is
/// /dev/null so nothing waits for input.
enum HomeAssistantCommandRunner {
    /// After SIGTERM at the deadline, how long the group gets before SIGKILL.
    static let terminationGrace: Duration = .seconds(2)
    /// The end of each stream that is kept: enough for a traceback, bounded for a chatty command.
    static let keptBytes = 64 << 10

    static func run(_ command: [String], environment: [String: String]?, timeout: Duration) throws(HomeAssistantControlError) -> HomeAssistantCommandOutput {
        guard let name = command.first, let executable = resolve(name, environment: environment) else {
            throw HomeAssistantControlError(kind: .commandMissing, command: command,
                                            stderr: "\(command.first ?? "(empty command)") was not found on the PATH")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-ha-\(UUID().uuidString)").path
        guard mkdir(scratch, 0o700) == 0 else { throw launchError(command, errno: errno) }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of ours leaks into the command, nor into a daemon it leaves running
        // (Swift's Glibc does not import addclosefrom_np; glibc skips fds closed meanwhile).
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap({ Int32($0) }) ?? [] where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), mask = sigset_t()
        sigemptyset(&defaults)
        sigemptyset(&mask)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw launchError(command, errno: spawned) }

        let (status, timedOut) = waitForExit(pid, deadline: ContinuousClock.now + timeout)
        let stdout = tail(outPath), stderr = tail(errPath)
        if timedOut {
            throw HomeAssistantControlError(kind: .timeout, command: command, stderr: stderr + "\n(killed after \(timeout))")
        }
        let signal = status & 0x7f
        if signal != 0 {
            throw HomeAssistantControlError(kind: .commandFailed, command: command, stderr: stderr + "\n(ended by signal \(signal))")
        }
        return HomeAssistantCommandOutput(status: (status >> 8) & 0xff, stdout: stdout, stderr: stderr)
    }

    /// Polls the child until it exits; at the deadline, SIGTERM then SIGKILL to its process group.
    private static func waitForExit(_ pid: pid_t, deadline: ContinuousClock.Instant) -> (status: Int32, timedOut: Bool) {
        var status: Int32 = 0
        var killAt: ContinuousClock.Instant?
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return (status, killAt != nil) }
            if reaped < 0 && errno != EINTR { return (status, killAt != nil) }
            let now = ContinuousClock.now
            if killAt == nil, now >= deadline {
                kill(-pid, SIGTERM)
                killAt = now + terminationGrace
            } else if let at = killAt, now >= at {
                kill(-pid, SIGKILL)
            }
            usleep(10_000)
        }
    }

    /// The executable for argv[0]: a path as given, or the first match on PATH.
    static func resolve(_ name: String, environment: [String: String]?) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = environment?["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func tail(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(keptBytes), as: UTF8.self)
    }

    private static func launchError(_ command: [String], errno code: Int32) -> HomeAssistantControlError {
        HomeAssistantControlError(kind: .launchFailed, command: command, stderr: String(cString: strerror(code)))
    }
}
