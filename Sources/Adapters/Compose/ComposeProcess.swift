import Foundation

/// What a finished command left behind.
struct ComposeProcessOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs one command with a deadline. The child gets its own process group, so a timeout ends it and
/// everything it started (the Docker CLI runs `docker compose` as a plugin process); stdin is /dev/null
/// so nothing can wait for input. posix_spawn rather than Foundation's Process: it gives the process
/// group, and reading both pipes in one poll loop cannot deadlock on a full pipe.
enum ComposeProcess {
    /// After SIGTERM at the deadline, how long the group gets before SIGKILL.
    static let terminationGrace: Duration = .seconds(2)

    static func run(_ command: [String], environment: [String: String], timeout: Duration) throws(ComposeRuntimeError) -> ComposeProcessOutput {
        precondition(!command.isEmpty && command[0].hasPrefix("/"), "resolve the executable first")
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw launchError(command, errno: errno)
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawned == 0 else { throw launchError(command, errno: spawned) }

        let deadline = ContinuousClock.now + timeout
        var (stdout, stderr, timedOut) = drain(out: outPipe[0], err: errPipe[0], group: pid, deadline: deadline)
        // The pipes can close before the child exits (it closed them itself): the deadline still holds.
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            if !timedOut, ContinuousClock.now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            usleep(5_000)
        }
        let text = (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        if timedOut {
            throw ComposeRuntimeError(kind: .timeout, command: command, exitStatus: nil,
                                      stderr: text.1 + "\n(killed after \(timeout))")
        }
        // Exited normally: the code is in bits 8-15; killed by a signal: 128 + signal, as shells report it.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ComposeProcessOutput(status: code, stdout: text.0, stderr: text.1)
    }

    /// Reads both pipes until they close. At the deadline: SIGTERM to the group, SIGKILL after the grace.
    private static func drain(out: Int32, err: Int32, group: pid_t, deadline: ContinuousClock.Instant) -> ([UInt8], [UInt8], Bool) {
        let clock = ContinuousClock()
        var buffers: [[UInt8]] = [[], []]
        var open = [true, true]
        var timedOut = false
        var killed = false
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while open[0] || open[1] {
            let now = clock.now
            if !timedOut, now >= deadline {
                timedOut = true
                kill(-group, SIGTERM)
            }
            if timedOut, !killed, now >= deadline + terminationGrace {
                killed = true
                kill(-group, SIGKILL)
            }
            // Something outside the group still holding the pipes must not hang reconcile.
            if killed, now >= deadline + terminationGrace * 2 { break }
            var fds = [pollfd(fd: open[0] ? out : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: open[1] ? err : -1, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, 100)
            if ready < 0 && errno != EINTR { break }
            for index in 0..<2 where open[index] && fds[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffers[index].append(contentsOf: chunk[0..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open[index] = false
                }
            }
        }
        if timedOut, !killed { kill(-group, SIGKILL) }
        return (buffers[0], buffers[1], timedOut)
    }

    private static func launchError(_ command: [String], errno code: Int32) -> ComposeRuntimeError {
        let kind: ComposeRuntimeError.Kind = code == ENOENT || code == EACCES || code == ENOEXEC ? .binaryMissing : .commandFailed
        return ComposeRuntimeError(kind: kind, command: command, exitStatus: nil,
                                   stderr: "could not start \(command[0]): \(String(cString: strerror(code)))")
    }

    /// The absolute path of `name`: itself when it holds a slash, else the first executable match on PATH.
    static func resolve(_ name: String, environment: [String: String]) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
