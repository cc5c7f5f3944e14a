import FoundationEssentials
import Glibc

/// A started command: its pid, which is also its process group, and our ends of its stdout and stderr.
struct SubprocessLaunch {
    let pid: pid_t
    /// Non-blocking read ends; `closeReadEnds()` when done.
    let stdout: Int32
    let stderr: Int32

    func closeReadEnds() {
        close(stdout)
        close(stderr)
    }

    /// Spawns `executable` with `argv` and exactly `environment`, as the leader of a new process group
    /// (so a deadline can end it and what it started), with default signal handling, and with nothing
    /// of ours open but stdin (`input`, or /dev/null so nothing waits for input), stdout and stderr.
    static func spawn(_ executable: String, argv: [String], environment: [String: String],
                      input: [UInt8]?) throws(SubprocessError) -> SubprocessLaunch {
        var ours: [Int32] = []      // read ends, kept on success
        var theirs: [Int32] = []    // the child's ends, closed here either way once it has them
        defer { theirs.forEach { _ = close($0) } }
        func failure(_ code: Int32) -> SubprocessError {
            ours.forEach { _ = close($0) }
            return SubprocessError(kind: .launchFailed(errno: code), command: argv,
                                   reason: "could not start \(executable): \(String(cString: strerror(code)))")
        }

        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        guard pipe(&out) == 0 else { throw failure(errno) }
        ours.append(out[0]); theirs.append(out[1])
        guard pipe(&err) == 0 else { throw failure(errno) }
        ours.append(err[0]); theirs.append(err[1])
        // Close-on-exec so that no other spawn inherits them; non-blocking so that reading never outwaits the pid.
        for fd in ours + theirs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        for fd in ours { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var inputFD: Int32?
        if let input {
            let fd = inputFile(input)
            guard fd >= 0 else { throw failure(errno) }
            theirs.append(fd)
            inputFD = fd
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inputFD {
            posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        // A daemon the command leaves running must not hold anything of ours (a lock, a socket). Swift's
        // Glibc does not import addclosefrom_np; glibc ignores the ones closed meanwhile.
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

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

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnvironment)
        guard spawned == 0 else { throw failure(spawned) }
        return SubprocessLaunch(pid: pid, stdout: out[0], stderr: err[0])
    }

    /// `bytes` in an unlinked temporary file, at offset 0: any size, and no pipe for us to feed while
    /// reading the others (nor SIGPIPE in reconcile when the command does not read it all). -1 on failure.
    private static func inputFile(_ bytes: [UInt8]) -> Int32 {
        var template = Array((FileManager.default.temporaryDirectory.path + "/reconcile-stdin-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return -1 }
        unlink(template)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return closing(fd) }
            written += count
        }
        return lseek(fd, 0, SEEK_SET) == 0 ? fd : closing(fd)
    }

    /// -1, after closing `fd` without losing the errno that explains the failure.
    private static func closing(_ fd: Int32) -> Int32 {
        let code = errno
        _ = close(fd)
        errno = code
        return -1
    }

    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}
