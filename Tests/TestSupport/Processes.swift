import Foundation
import XCTest
@testable import Adapters

// Every helper here runs commands through the adapters' own `Subprocess.run`: the end of a command is
// its own process's exit, never EOF on its pipes (a daemon it leaves running may hold them for as long
// as it lives), and at the deadline its whole process group is killed (see Sources/Adapters/Process).

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

/// Runs a command (argv[0] looked up on the PATH) to its end with this process's environment plus
/// `extra`. Throws when it could not start or when it was killed at the deadline.
public func run(_ argv: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(180)) throws -> RunResult {
    let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    let output = try Subprocess.run(argv, environment: environment, timeout: timeout)
    return RunResult(status: output.status, killedBySignal: output.signal != nil, stdout: output.stdout, stderr: output.stderr)
}

/// Runs a program to its end; past `timeout` it is killed and the test fails (what it wrote until then
/// is returned). Throws when it could not start.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       timeout: TimeInterval = 60) throws -> RunResult {
    do {
        return try run([executable.path] + arguments, environment: environment ?? [:], timeout: .milliseconds(Int64(timeout * 1000)))
    } catch let error as SubprocessError where error.kind == .timedOut {
        XCTFail("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
        return RunResult(status: 128 + SIGTERM, killedBySignal: true, stdout: error.stdout, stderr: error.stderr)
    }
}

public struct ShellResult {
    public var status: Int32
    /// stdout and stderr, interleaved as the command wrote them.
    public var output: String
    public var trimmed: String { output.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// `/bin/sh -c command` in `directory`, stdout and stderr together, with this process's environment plus
/// `environment`. Not running to its end (no shell, or killed at the deadline) fails the test.
@discardableResult
public func shell(_ command: String, in directory: String, environment: [String: String] = [:],
                  timeout: Duration = .seconds(300)) -> ShellResult {
    // Subprocess has no working directory: the outer shell enters it, then runs the command with 2>&1.
    let argv = ["/bin/sh", "-c", "cd -- \"$0\" && exec /bin/sh -c \"$1\" 2>&1", directory, command]
    do {
        let result = try run(argv, environment: environment, timeout: timeout)
        return ShellResult(status: result.status, output: result.stdout + result.stderr)
    } catch {
        XCTFail("sh -c \(command) in \(directory): \(error)")
        return ShellResult(status: -1, output: "\(error)")
    }
}
