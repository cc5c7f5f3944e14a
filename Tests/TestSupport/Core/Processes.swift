import Foundation

// The one way tests run a command. Its end is its own process's exit, never EOF on a pipe: output goes to
// files, so a daemon it leaves running cannot hold the test. The deadline is coreutils' `timeout`, which
// makes the command a process group of its own and signals the whole group (SIGTERM, SIGKILL 2 s later),
// so what it started goes too. No product module: the pure cores' tests and reconcile-bench use it as well.

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

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    process.arguments = ["--kill-after=2", String(format: "%.3f", seconds)] + argv
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let input {
        try Data(input).write(to: stdin)
        process.standardInput = try FileHandle(forReadingFrom: stdin)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    // Woken by the exit itself: waitUntilExit polls a run loop, tens of milliseconds per command.
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    let start = ContinuousClock.now
    try process.run()
    exited.wait()
    let elapsed = ContinuousClock.now - start
    let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
    let status = process.terminationStatus
    // `timeout` says 124 (137 when SIGKILL was needed); a command's own 124 ends before the deadline.
    if [124, 137].contains(status), elapsed >= timeout {
        throw RunError(kind: .timedOut, command: argv, stdout: stdout, stderr: stderr)
    }
    // A signal that ended the command ends `timeout` the same way.
    let killed = process.terminationReason == .uncaughtSignal
    return RunResult(status: killed ? 128 + status : status, killedBySignal: killed, stdout: stdout, stderr: stderr)
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
