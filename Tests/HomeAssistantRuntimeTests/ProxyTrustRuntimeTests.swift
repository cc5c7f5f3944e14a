import Adapters
import Foundation
import HomeAssistant
import XCTest

/// A real Home Assistant judges what reconcile writes into its configuration.yaml: behind Caddy
/// it answers 400 to forwarded requests unless its http: settings trust the proxy's address.
/// One hass for the whole class (each start costs seconds here, a minute with a full config);
/// every test leaves it running the original configuration.
final class ProxyTrustRuntimeTests: XCTestCase {
    nonisolated(unsafe) private static var shared: Result<HassSandbox, Error>?

    /// The shared hass, started by the first test that needs it. Called from the test body, not from
    /// setUp: XCTest reports a setUp error as a skip, and a missing Home Assistant must be a failure.
    private func running() throws -> HassSandbox {
        if Self.shared == nil {
            Self.shared = Result {
                let sandbox = try HassSandbox()
                do {
                    try sandbox.control.start()
                } catch {
                    let log = sandbox.hassLog()
                    try? sandbox.control.stop()  // it may run without answering; leave no hass behind
                    throw HassSandbox.Failure("Home Assistant did not start: \(error)\n\(log)")
                }
                return sandbox
            }
        }
        return try XCTUnwrap(Self.shared).get()
    }

    override class func tearDown() {
        if case .success(let sandbox) = shared { try? sandbox.control.stop() }
        shared = nil
        super.tearDown()
    }

    /// The problem is real: with no trust settings, Caddy's forwarded request is refused.
    func testWithoutTrustSettingsAForwardedRequestGets400() throws {
        let sandbox = try running()
        XCTAssertEqual(try sandbox.configuration(), sandbox.originalConfiguration, "an earlier test left its settings behind")
        XCTAssertEqual(try probeStatus(port: sandbox.port, forwardedFor: nil), 200, "Home Assistant should serve the probe path")
        XCTAssertEqual(try probeStatus(port: sandbox.port), 400, "use_x_forwarded_for is off: Home Assistant must refuse X-Forwarded-For")
    }

    /// Apply, restart: Caddy's address is trusted and no other; prune, restart: the file is the user's again.
    func testApplyTrustsOnlyTheProxyAndPruneRestoresTheFile() throws {
        let sandbox = try running()
        XCTAssertTrue(ProxyTrustPolicy.defaultTrustedProxies.contains("127.0.0.1"), "the test's proxy must be among the defaults")
        XCTAssertFalse(ProxyTrustPolicy.defaultTrustedProxies.contains { $0.hasPrefix("127.0.0.2") || $0.hasPrefix("127.0.0.0") })
        // If a step fails, give the next test the original file and a hass that runs it.
        defer {
            if (try? sandbox.configuration()) != sandbox.originalConfiguration {
                try? sandbox.originalConfiguration.write(to: sandbox.configurationYAML)
                _ = try? sandbox.control.restart()
            }
        }

        try sandbox.declare(homeAssistant: true)
        let apply = try sandbox.apply()
        XCTAssertEqual(apply.status, 0, "reconcile apply failed:\n\(apply.stdout)\n\(apply.stderr)")
        let applied = String(decoding: try sandbox.configuration(), as: UTF8.self)
        XCTAssertNotEqual(Data(applied.utf8), sandbox.originalConfiguration, "apply wrote no trust settings")
        assertKeepsEveryLine(of: sandbox.originalConfiguration, in: applied)

        try restart(sandbox)
        XCTAssertEqual(try probeStatus(port: sandbox.port, from: "127.0.0.1"), 200,
                       "Caddy's address 127.0.0.1 should be trusted after apply:\n\(applied)\n\(sandbox.hassLog())")
        XCTAssertEqual(try probeStatus(port: sandbox.port, from: "127.0.0.2"), 400,
                       "another peer (127.0.0.2) must not be trusted to set X-Forwarded-For:\n\(applied)")
        XCTAssertEqual(try probeStatus(port: sandbox.port, forwardedFor: nil, from: "127.0.0.2"), 200,
                       "a request without X-Forwarded-For passes from anywhere")

        try sandbox.declare(homeAssistant: false)
        let prune = try sandbox.apply()
        XCTAssertEqual(prune.status, 0, "reconcile apply (prune) failed:\n\(prune.stdout)\n\(prune.stderr)")
        XCTAssertEqual(String(decoding: try sandbox.configuration(), as: UTF8.self),
                       String(decoding: sandbox.originalConfiguration, as: UTF8.self),
                       "prune must give back the configuration.yaml the user wrote, byte for byte")

        try restart(sandbox)
        XCTAssertEqual(try probeStatus(port: sandbox.port, from: "127.0.0.1"), 400,
                       "after prune Home Assistant trusts no proxy again")
    }

    /// Restarts through HomeAssistantControl, as the apply engine will; the answer is the new process's.
    private func restart(_ sandbox: HassSandbox) throws {
        do {
            let answer = try sandbox.control.restart()
            XCTAssertEqual(answer.status, 200, "the readiness probe should be answered by the probe path")
        } catch {
            XCTFail("restart failed: \(error)\n\(sandbox.hassLog())")
            throw error
        }
    }

    /// reconcile only adds to a hand-written http: block: every original line (server_port, the
    /// comments, the !include) is still there, in order.
    private func assertKeepsEveryLine(of original: Data, in applied: String, file: StaticString = #filePath, line: UInt = #line) {
        var remaining = applied.split(separator: "\n", omittingEmptySubsequences: false)[...]
        for expected in String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            guard let index = remaining.firstIndex(of: expected) else {
                return XCTFail("apply lost or changed the line '\(expected)':\n\(applied)", file: file, line: line)
            }
            remaining = remaining[(index + 1)...]
        }
    }
}

extension HassSandbox {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
