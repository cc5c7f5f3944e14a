import Foundation
import TestSupportCore
import XCTest

// The core's `run`, for tests that want a hang or a missing shell to fail the test rather than throw.

/// Runs a program to its end; past `timeout` it is killed and the test fails (what it wrote until then
/// is returned). Throws when it could not start.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       timeout: TimeInterval = 60) throws -> RunResult {
    do {
        return try run([executable.path] + arguments, environment: environment ?? [:], timeout: .milliseconds(Int64(timeout * 1000)))
    } catch let error as RunError where error.kind == .timedOut {
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
    do {
        let result = try run(["/bin/sh", "-c", "exec 2>&1; " + command], environment: environment, in: directory, timeout: timeout)
        return ShellResult(status: result.status, output: result.stdout + result.stderr)
    } catch {
        XCTFail("sh -c \(command) in \(directory): \(error)")
        return ShellResult(status: -1, output: "\(error)")
    }
}
