import Adapters
import Foundation
import TestSupport
import XCTest

/// HomeAssistantControl's commands and readiness without Home Assistant: small stand-ins that fail,
/// hang, leave daemons behind, or answer 5xx, each in well under a second or two.
final class HomeAssistantControlTests: XCTestCase {
    private func control(restart: [String], timeout: Duration = .seconds(10), port: Int = 1,
                         readinessTimeout: Duration = .milliseconds(500)) -> HomeAssistantControl {
        HomeAssistantControl(stop: ["/bin/true"], start: ["/bin/true"], restart: restart, commandTimeout: timeout,
                             readiness: HomeAssistantReadiness(port: port, path: "/", timeout: readinessTimeout,
                                                               interval: .milliseconds(50)))
    }

    func testComposeDefaultRestartsTheService() {
        let control = HomeAssistantControl.compose(file: "/home/root/mapio/docker-compose.yml")
        XCTAssertEqual(control.restartCommand, ["docker-compose", "-f", "/home/root/mapio/docker-compose.yml", "restart", "homeassistant"])
        XCTAssertEqual(control.stopCommand.suffix(2), ["stop", "homeassistant"])
        XCTAssertEqual(control.readiness.url, "http://127.0.0.1:8123/manifest.json")
    }

    func testFailingCommandReportsStatusAndStderr() {
        XCTAssertThrowsError(try control(restart: ["/bin/sh", "-c", "echo 'no such service' >&2; exit 3"]).restart()) { error in
            let error = error as! HomeAssistantControlError
            XCTAssertEqual(error.kind, .commandFailed)
            XCTAssertEqual(error.exitStatus, 3)
            XCTAssertEqual(error.context, "restarting Home Assistant")
            XCTAssertTrue(error.stderr.contains("no such service"), error.stderr)
            XCTAssertTrue(error.isRetryable)
            XCTAssertTrue(error.description.contains("`/bin/sh -c 'echo '\\''no such service'\\'' >&2; exit 3'`"), error.description)
        }
    }

    func testMissingCommandIsASettingsError() {
        XCTAssertThrowsError(try control(restart: ["reconcile-no-such-compose", "restart"]).restart()) { error in
            let error = error as! HomeAssistantControlError
            XCTAssertEqual(error.kind, .commandMissing)
            XCTAssertFalse(error.isRetryable, "a retry cannot install a binary")
        }
    }

    /// A hung command is killed at its timeout with everything it started (its process group).
    func testHungCommandIsKilledWithItsChildren() throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-ha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let started = ContinuousClock.now
        XCTAssertThrowsError(try control(restart: ["/bin/sh", "-c", "sleep 30 & echo $! > \(pidFile.path); wait"],
                                         timeout: .milliseconds(500)).restart()) { error in
            XCTAssertEqual((error as! HomeAssistantControlError).kind, .timeout)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        let child = try XCTUnwrap(Int32(String(decoding: try Data(contentsOf: pidFile), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(200_000)
        XCTAssertFalse(isAlive(child), "the command's child (sleep, pid \(child)) outlived the timeout")
    }

    /// A command that leaves a daemon holding its output (as `hass-ctl.sh start` does) still returns at once.
    func testCommandLeavingADaemonReturns() throws {
        let started = ContinuousClock.now
        let server = try freeLoopbackPort()
        XCTAssertThrowsError(try control(restart: ["/bin/sh", "-c", "sleep 30 & echo started"], port: server,
                                         readinessTimeout: .milliseconds(200)).restart()) { error in
            // The command succeeded; only the readiness wait (nothing listens) failed.
            XCTAssertEqual((error as! HomeAssistantControlError).kind, .notReady)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(15), "waited for the daemon's output to close")
    }

    func testReadinessGivesUpWithTheLastAnswer() throws {
        let port = try freeLoopbackPort()
        let started = ContinuousClock.now
        XCTAssertThrowsError(try control(restart: ["/bin/true"], port: port).restart()) { error in
            let error = error as! HomeAssistantControlError
            XCTAssertEqual(error.kind, .notReady)
            XCTAssertEqual(error.command, ["/bin/true"])
            XCTAssertEqual(error.readinessURL, "http://127.0.0.1:\(port)/")
            XCTAssertTrue(error.lastAnswer?.contains("refused") == true, error.description)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "the readiness timeout bounds the wait")
    }

    /// 5xx is not ready (a proxy in front, or Home Assistant still starting); 401 is (its server answered).
    func testReadinessWaitsPastServerErrors() throws {
        let port = try freeLoopbackPort()
        let server = try startStatusServer(port: port, statuses: [503, 503, 401])
        defer { server.terminate(); server.waitUntilExit() }
        let answer = try control(restart: ["/bin/true"], port: port, readinessTimeout: .seconds(10)).restart()
        XCTAssertEqual(answer.status, 401)
        XCTAssertGreaterThanOrEqual(answer.attempts, 3)
    }

    /// A Python server answering `statuses` in turn (the last one forever after).
    private func startStatusServer(port: Int, statuses: [Int]) throws -> Process {
        let script = """
        import http.server, sys
        statuses = \(statuses)
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
                self.send_response(status); self.send_header("Content-Length", "0"); self.end_headers()
            def log_message(self, *args): pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(port)]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func isAlive(_ pid: Int32) -> Bool {
        // A killed child that nobody reaped yet is a zombie: dead for our purpose.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
    }
}
