import Foundation
import TestSupport
import XCTest

/// A remote that accepts the connection and then never answers (a real loopback socket): libgit2 has no
/// timeout of its own, so the run must end at `--git-timeout` with a retryable failure and a message, not
/// hang holding the lock. (`serve` fails the cycle and lives on: DaemonTests' GitTimeoutCycleTests.)
final class StalledRemoteTests: XCTestCase {
    func testAStalledRemoteEndsTheRunAtTheGitTimeoutWithAMessage() throws {
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listener.arguments = ["python3", "-c", """
            import socket, time
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
            print(s.getsockname()[1], flush=True)
            held = [s.accept() for _ in range(2)]
            time.sleep(120)
            """]
        let pipe = Pipe()
        listener.standardOutput = pipe
        try listener.run()
        defer { listener.terminate(); listener.waitUntilExit() }
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try XCTUnwrap(Int(line), "the listener printed its port: \(line)")
        let root = TemporaryDirectory(prefix: "reconcile-stalled")
        let started = Date()
        let result = try runProcess(try reconcileBinary(), ["plan", "--repo", "https://127.0.0.1:\(port)/exposure.git", "--git-timeout", "2", "--root", root.path],
                                    timeout: 30)
        let seconds = Date().timeIntervalSince(started)
        print("stalled remote: the run ended after \(String(format: "%.1f", seconds)) s with --git-timeout 2")
        XCTAssertEqual(result.status, 75, "EX_TEMPFAIL: the world is flaky, retry later: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("connecting to https://127.0.0.1:\(port)/exposure.git did not finish within 2 s"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--git-timeout"), "names the bound: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("error (git_timeout, retryable)"), result.stderr)
        XCTAssertFalse(result.stderr.contains("did not return once"), "its connection was shut, not the process ended: \(result.stderr)")
        XCTAssertLessThan(seconds, 20, "ended by the bound, not by the test's own deadline")
    }
}
