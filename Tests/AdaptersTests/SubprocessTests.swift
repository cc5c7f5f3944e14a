import Foundation
import TestSupport
import XCTest
@testable import Adapters

/// The runner behind Compose and Home Assistant's control commands, with small shell stand-ins.
final class SubprocessTests: XCTestCase {
    private let environment = ProcessInfo.processInfo.environment

    private func sh(_ script: String, input: [UInt8]? = nil, timeout: Duration = .seconds(20),
                    kept: Int = Subprocess.defaultKept) throws -> SubprocessOutput {
        try Subprocess.run(["sh", "-c", script], environment: environment, input: input, timeout: timeout, kept: kept)
    }

    func testTimeoutKillsTheWholeProcessGroupEvenWhenTERMIsIgnored() throws {
        let started = ContinuousClock.now
        XCTAssertThrowsError(try sh("echo begun; trap '' TERM; sleep 30; echo never", timeout: .milliseconds(300))) { error in
            let error = error as! SubprocessError
            XCTAssertEqual(error.kind, .timedOut)
            XCTAssertEqual(error.stdout, "begun\n", "what it wrote before the deadline is kept")
            XCTAssertTrue(error.description.contains("killed after"), error.description)
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertLessThan(elapsed, .seconds(5), "SIGKILL after the grace period, and the grandchild `sleep` did not hold the pipes")
    }

    func testOutputStatusAndLargeOutputOnBothPipes() throws {
        let output = try sh("head -c 300000 /dev/zero | tr '\\\\0' a; head -c 200000 /dev/zero | tr '\\\\0' b >&2; exit 3")
        XCTAssertEqual(output.status, 3)
        XCTAssertNil(output.signal)
        XCTAssertEqual(output.stdout.count, 300_000)
        XCTAssertEqual(output.stderr.count, 200_000)
    }

    /// What a start script that daemonizes does: the command's end is its own exit, not its output's EOF.
    func testReturnsWhenTheCommandExitsThoughADaemonHoldsItsOutput() throws {
        let started = ContinuousClock.now
        // The daemon lives far longer than the bound, so a loaded machine's slow spawn cannot be mistaken for the wait.
        let output = try sh("sleep 60 & echo $!")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(20), "waited for the daemon's output to close")
        let daemon = try XCTUnwrap(Int32(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(daemon, SIGKILL)
    }

    /// A daemon that never stops writing cannot keep the runner reading.
    func testReturnsThoughADaemonKeepsWriting() throws {
        let started = ContinuousClock.now
        let output = try sh("yes & echo started >&2", kept: 1 << 10)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stderr, "started\n")
        XCTAssertLessThanOrEqual(output.stdout.utf8.count, 1 << 10, "the output is bounded")
    }

    func testInputBytesAreStdinAndOtherwiseStdinIsEmpty() throws {
        let caddyfile = String(repeating: "example.com {\n\treverse_proxy 127.0.0.1:8123\n}\n", count: 25_000)
        XCTAssertGreaterThan(caddyfile.utf8.count, 1 << 20, "more than any pipe holds")
        XCTAssertEqual(try sh("cat", input: Array(caddyfile.utf8)).stdout, caddyfile)
        XCTAssertEqual(try sh("wc -c", input: []).stdout.trimmingCharacters(in: .whitespaces), "0\n")
        XCTAssertEqual(try sh("wc -c", timeout: .seconds(5)).stdout.trimmingCharacters(in: .whitespaces), "0\n",
                       "without input, stdin is /dev/null: nothing waits for it")
    }

    func testOutputKeepsItsEnd() throws {
        let output = try sh("head -c 100000 /dev/zero | tr '\\0' a; echo END", kept: 1_000)
        XCTAssertEqual(output.stdout.utf8.count, 1_000)
        XCTAssertTrue(output.stdout.hasSuffix("aEND\n"))
    }

    func testASignalEndIs128PlusTheSignal() throws {
        let output = try sh("echo going >&2; kill -KILL $$")
        XCTAssertEqual(output.status, 128 + SIGKILL)
        XCTAssertEqual(output.signal, SIGKILL)
        XCTAssertEqual(output.stderr, "going\n")
    }

    func testEnvironmentIsExactlyTheOneGiven() throws {
        let output = try Subprocess.run(["env"], environment: ["PATH": "/usr/bin:/bin", "ONLY": "this"], timeout: .seconds(5))
        XCTAssertEqual(output.stdout.split(separator: "\n").sorted(), ["ONLY=this", "PATH=/usr/bin:/bin"])
    }

    func testTheExecutableIsFoundOnTheCommandsPATH() throws {
        let directory = TemporaryDirectory()
        _ = directory.file("first/tool/placeholder", "a directory named like the tool is not it")
        let tool = directory.file("second/tool", "#!/bin/sh\necho ran\n", mode: 0o755)
        let path = ["PATH": "\(directory.path)/first:\(directory.path)/second"]
        XCTAssertEqual(Subprocess.resolve("tool", environment: path), tool)
        XCTAssertEqual(try Subprocess.run(["tool"], environment: path, timeout: .seconds(5)).stdout, "ran\n")
        XCTAssertTrue(try sh("cat /proc/$$/cmdline; true").stdout.hasPrefix("sh\0-c\0"), "argv[0] stays as given")
        XCTAssertThrowsError(try Subprocess.run(["reconcile-no-such-tool"], environment: path, timeout: .seconds(5))) { error in
            XCTAssertEqual((error as! SubprocessError).kind, .notFound)
        }
        let plain = directory.file("plain", "not executable", mode: 0o644)
        XCTAssertThrowsError(try Subprocess.run([plain], environment: path, timeout: .seconds(5))) { error in
            XCTAssertEqual((error as! SubprocessError).kind, .notFound)
        }
        XCTAssertThrowsError(try Subprocess.run([], environment: path, timeout: .seconds(5))) { error in
            XCTAssertEqual((error as! SubprocessError).kind, .notFound)
        }
    }

    /// The command (and any daemon it leaves) holds nothing of ours; the runner itself leaks nothing.
    func testOnlyStdioIsInheritedAndNothingLeaks() throws {
        let inheritable = open("/dev/null", O_RDONLY)   // no O_CLOEXEC: posix_spawn would pass it on
        defer { close(inheritable) }
        let before = try openDescriptors()
        XCTAssertTrue(before.contains(inheritable))
        let check = before.filter { $0 > 2 }.map(String.init).joined(separator: " ")
        let output = try sh("for fd in \(check); do [ -e /proc/$$/fd/$fd ] && echo $fd; done; true", input: [1, 2, 3])
        XCTAssertEqual(output.stdout, "", "descriptors the command inherited")

        _ = try sh("sleep 1 & echo", input: [1])
        _ = try? sh("sleep 5", timeout: .milliseconds(50))
        let directory = TemporaryDirectory()
        let noFormat = directory.file("no-format", "echo a script without #!", mode: 0o755)
        XCTAssertThrowsError(try Subprocess.run([noFormat], environment: environment, timeout: .seconds(1))) { error in
            XCTAssertEqual((error as! SubprocessError).kind, .launchFailed(errno: ENOEXEC), "posix_spawn has no shell fallback")
        }
        XCTAssertEqual(try openDescriptors(), before, "descriptors left open in this process")
    }

    private func openDescriptors() throws -> [Int32] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { Int32($0) }.sorted()
    }
}
