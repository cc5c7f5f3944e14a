import Foundation
#if canImport(Glibc)
import Glibc
#endif

// The one way tests run a command. Its end is its own process's exit (waitpid on its pid), never EOF on a
// pipe: output goes to files, so a daemon it leaves running cannot hold the test, and nothing of ours but
// stdio is open in it. The deadline is coreutils' `timeout`, which makes the command a process group of its
// own and signals the whole group (SIGTERM, SIGKILL 2 s later), so what it started goes too. Not Foundation's
// Process: its exit monitor missed one here (the child stayed a zombie, its termination handler never ran, the
// suite hung), as the adapters' Subprocess avoids it by waiting on the pid itself.
// No product module: the pure cores' tests and reconcile-bench use it as well.

public struct RunResult {
    public var status: Int32
    /// True when a signal ended the program (its status is then 128 + the signal, as shells report it).
    public var killedBySignal = false
    public var stdout: String
    public var stderr: String
    public var output: String { stdout + stderr }

    public init(status: Int32, killedBySignal: Bool = false, stdout: String, stderr: String) {
        self.status = status
        self.killedBySignal = killedBySignal
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Why a command did not run to its end.
public struct RunError: Error, CustomStringConvertible {
    public enum Kind: Equatable { case notFound, timedOut }
    public var kind: Kind
    public var command: [String]
    /// What it wrote until the deadline.
    public var stdout = ""
    public var stderr = ""

    public var description: String {
        let reason = kind == .notFound ? "not an executable on the PATH" : "killed at the deadline"
        return "`\(command.joined(separator: " "))`: \(reason)" + (stderr.isEmpty ? "" : "\n" + stderr)
    }
}

/// Runs `argv` (argv[0] looked up on the PATH) to its end with this process's environment plus `extra`,
/// `input` on stdin (else /dev/null), in `directory` (else here). Throws when it could not start or was
/// killed at the deadline; a non-zero status is the caller's call.
public func run(_ argv: [String], environment extra: [String: String] = [:], input: [UInt8]? = nil,
                in directory: String? = nil, timeout: Duration = .seconds(180)) throws -> RunResult {
    let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    guard let name = argv.first, executable(name, path: environment["PATH"]) != nil else {
        throw RunError(kind: .notFound, command: argv)
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("test-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let (out, err, stdin) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"), scratch.appendingPathComponent("in"))
    for file in [out, err] { FileManager.default.createFile(atPath: file.path, contents: nil) }

    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    // `env -C` enters the directory: posix_spawn has no portable chdir.
    let argvTimed = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + ["/usr/bin/timeout", "--kill-after=2", String(format: "%.3f", seconds)] + argv
    if let input { try Data(input).write(to: stdin) }
    let start = ContinuousClock.now
    let status = try spawnAndWait(argvTimed, environment: environment, stdin: input == nil ? "/dev/null" : stdin.path, stdout: out.path, stderr: err.path)
    let elapsed = ContinuousClock.now - start
    let stdoutText = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    let stderrText = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
    let signal = status & 0x7f
    let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
    // `timeout` says 124 (137 when SIGKILL was needed); a command's own 124 ends before the deadline.
    if signal == 0, [124, 137].contains(code), elapsed >= timeout {
        throw RunError(kind: .timedOut, command: argv, stdout: stdoutText, stderr: stderrText)
    }
    // A signal that ended the command ends `timeout` the same way.
    return RunResult(status: code, killedBySignal: signal != 0, stdout: stdoutText, stderr: stderrText)
}

/// Spawns `argv` (argv[0] an absolute path) with exactly `environment` and the three streams on those
/// files, closing every other descriptor of ours in it; returns its raw wait status.
private func spawnAndWait(_ argv: [String], environment: [String: String], stdin: String, stdout: String, stderr: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_TRUNC, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_TRUNC, 0)
    let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        cArgv.forEach { free($0) }
        cEnvironment.forEach { free($0) }
    }
    // Default signal handling and no blocked signal, whichever thread of ours (a dispatch worker blocks most) spawns it.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t(), mask = sigset_t()
    sigemptyset(&mask)
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArgv, cEnvironment)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    return status
}

/// The file `name` names: itself when it holds a slash, else the first executable on `path`.
func executable(_ name: String, path: String?) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
    return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) && !isDirectory($0) }
}

private func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}
