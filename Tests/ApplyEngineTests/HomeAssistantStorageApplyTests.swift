import Adapters
import Controller
import Planner
import Foundation
import TestSupport
import XCTest

/// Storage mode (Home Assistant 2026.8+, which cannot run here): the apply sequence stop → read again →
/// write `data.stable` → start, and its rollback stop → restore → start, at each step. Caddy, the control
/// adapter (argv commands), the readiness wait and the probes are real; Home Assistant's process is
/// `HomeAssistantProcessDouble`, a script that records each call and can fail or rewrite the file at stop.
final class HomeAssistantStorageApplyTests: XCTestCase {
    /// core#182040: `stable` lost the /12's mask; the correct pending reverted (`not_promoted`).
    static let corrupted = try! Data(contentsOf: packageRoot.appendingPathComponent("Tests/HomeAssistantTests/Fixtures/storage-http-182040.json"))
    static let ledger = #"{"home_assistant": {"addedTrustedProxies": ["127.0.0.1/32", "::1/128", "172.16.0.0/12"], "useXForwardedForBefore": "notTrue"}}"#

    func makeGateway(storage: Data = corrupted) throws -> (CaddyGateway, HomeAssistantProcessDouble, RuntimeSettings) {
        let gateway = try CaddyGateway()
        let double = try HomeAssistantProcessDouble(gateway: gateway)
        try storage.write(to: double.storage)
        try FileManager.default.createDirectory(at: gateway.stateDir, withIntermediateDirectories: true)
        try Data(Self.ledger.utf8).write(to: gateway.stateDir.appendingPathComponent("ledger.json"))
        var runtime = gateway.runtime
        runtime.homeAssistant = .commands(double.control(readinessPort: gateway.homeAssistantPort))
        runtime.probes?.attempts = 3
        return (gateway, double, runtime)
    }

    var repaired: Data {
        let text = String(decoding: Self.corrupted, as: UTF8.self)
        return Data(text.replacingCharacters(in: text.range(of: "\"172.16.0.0/32\"")!, with: "\"172.16.0.0/12\"").utf8)
    }

    func index(_ steps: [String], _ prefix: String) -> Int {
        steps.firstIndex { $0.hasPrefix(prefix) } ?? -1
    }

    func testStopThenWriteStableThenStart() throws {
        let (gateway, double, runtime) = try makeGateway()
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(double.calls, ["stop", "start"])
        XCTAssertEqual(try Data(contentsOf: double.storage), repaired)
        let steps = outcome.journal.map(\.text)
        XCTAssertTrue(index(steps, "stopped Home Assistant") < index(steps, "wrote \(double.storage.path)"), "\(steps)")
        XCTAssertTrue(index(steps, "wrote \(double.storage.path)") < index(steps, "started Home Assistant"), "\(steps)")
        XCTAssertTrue(outcome.probes.allSatisfy(\.passed))
        // Converged: a second apply stops nothing.
        let again = try apply(gateway.settings, runtime)
        XCTAssertEqual(again.result, .converged)
        XCTAssertEqual(double.calls, ["stop", "start"])
    }

    /// Home Assistant wrote the file as it stopped (here: a save that put 10.0.0.0/8 in stable): the write
    /// is planned again from that, so the save is kept and the failed pending's error stays.
    func testFileChangedAtStopIsPlannedAgain() throws {
        let (gateway, double, runtime) = try makeGateway()
        let saved = String(decoding: Self.corrupted, as: UTF8.self)
            .replacingOccurrences(of: "\"127.0.0.1/32\",\n        \"172.16.0.0/32\"", with: "\"10.0.0.0/8\",\n        \"127.0.0.1/32\",\n        \"172.16.0.0/32\"")
        try double.arm("write-at-stop", content: Data(saved.utf8))
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertTrue(outcome.journal.contains { $0.event == .reread(path: double.storage.path, changed: true) }, "\(outcome.journal)")
        let written = String(decoding: try Data(contentsOf: double.storage), as: UTF8.self)
        XCTAssertEqual(written, saved.replacingOccurrences(of: "\"172.16.0.0/32\"", with: "\"172.16.0.0/12\""))
        XCTAssertTrue(written.contains("\"error\": \"not_promoted\""))
        // The backup is of the file as it was once stopped: a rollback would put the save back.
        let backup = try XCTUnwrap(outcome.backups.first { $0.contains("http") })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: backup)), Data(saved.utf8))
    }

    /// The plan was made while the pending trial still had no error; Home Assistant marked it `not_promoted`
    /// before it stopped. The bytes written are planned from the file as it is then: the error stays, so the
    /// failed trial is not revived, and only `stable` is repaired.
    func testANotPromotedErrorWrittenBeforeTheStopIsNeverResetToNull() throws {
        let failed = String(decoding: Self.corrupted, as: UTF8.self)
        let stillATrial = failed.replacingOccurrences(
            of: "\"error\": \"not_promoted\",\n      \"error_message\": \"The new configuration was not promoted in time and was reverted\"",
            with: "\"error\": null,\n      \"error_message\": null")
        XCTAssertNotEqual(stillATrial, failed)
        let (gateway, double, runtime) = try makeGateway(storage: Data(stillATrial.utf8))
        try double.arm("write-at-stop", content: Self.corrupted)
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertTrue(outcome.journal.contains { $0.event == .reread(path: double.storage.path, changed: true) }, "\(outcome.journal)")
        XCTAssertEqual(try Data(contentsOf: double.storage), repaired, "stable repaired; every other byte, the error among them, as Home Assistant left it")
        XCTAssertEqual(double.calls, ["stop", "start"])
    }

    /// Home Assistant left a file that no longer parses: nothing is written to it, Home Assistant starts
    /// again, and the error says why (a live file that must be fixed first: not retried).
    func testAFileThatNoLongerParsesAtTheStopRollsBack() throws {
        let (gateway, double, runtime) = try makeGateway()
        let caddyfile = try Data(contentsOf: gateway.caddyfile)
        let broken = Data("{\"version\": 2, \"data\": ".utf8)
        try double.arm("write-at-stop", content: broken)
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        XCTAssertTrue(outcome.failure?.contains("planning again from it was refused") ?? false, outcome.failure ?? "")
        XCTAssertEqual(outcome.error?.reconcileError.isRetryable, false, "\(String(describing: outcome.error?.reconcileError))")
        XCTAssertEqual(double.calls, ["stop", "start"])
        XCTAssertEqual(try Data(contentsOf: double.storage), broken, "Home Assistant's file as it left it")
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), caddyfile)
    }

    /// A probe fails after the start: stop → restore → start, and the old bytes are back.
    func testFailedProbeRollsBackStopRestoreStart() throws {
        var (gateway, double, runtime) = try makeGateway()
        try gateway.declare(media: "127.0.0.1:\(CaddyGateway.freePort())")
        runtime.probes?.attempts = 2
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        XCTAssertEqual(double.calls, ["stop", "start", "stop", "start"])
        XCTAssertEqual(try Data(contentsOf: double.storage), Self.corrupted)
        // The journal of the rollback: stop, restore, start, in that order.
        let undone = outcome.journal.filter(\.undoing).map(\.event)
        XCTAssertTrue({ if case .homeAssistantStopped? = undone.first { return true } else { return false } }(), "\(undone)")
        XCTAssertTrue({ if case .homeAssistantStarted? = undone.last { return true } else { return false } }(), "\(undone)")
        XCTAssertTrue(undone.contains(.restored(path: double.storage.path)), "\(undone)")
    }

    /// Starting on the new file fails: the same rollback (the failed start may have left it half up).
    func testFailedStartRollsBack() throws {
        let (gateway, double, runtime) = try makeGateway()
        try double.arm("fail-start-once")
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        XCTAssertTrue(outcome.failure?.contains("port in use") ?? false, outcome.failure ?? "")
        XCTAssertEqual(double.calls, ["stop", "start", "stop", "start"])
        XCTAssertEqual(try Data(contentsOf: double.storage), Self.corrupted)
    }

    /// Stopping fails: nothing is written, and nothing is started that was not stopped.
    func testFailedStopWritesNothing() throws {
        let (gateway, double, runtime) = try makeGateway()
        let caddyfile = try Data(contentsOf: gateway.caddyfile)
        try double.arm("fail-stop")
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack)
        XCTAssertTrue(outcome.failure?.contains("no such service") ?? false, outcome.failure ?? "")
        XCTAssertEqual(double.calls, ["stop"])
        XCTAssertEqual(try Data(contentsOf: double.storage), Self.corrupted)
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), caddyfile)
        XCTAssertEqual(outcome.written, [])
    }

    /// No way to stop Home Assistant: refused before anything, unless the user says it is stopped.
    func testWithoutAWayToStopItIsRefusedUnlessTheUserStoppedIt() throws {
        var (gateway, double, runtime) = try makeGateway()
        runtime.homeAssistant = .none
        let caddyfile = try Data(contentsOf: gateway.caddyfile)
        XCTAssertThrowsError(try apply(gateway.settings, runtime)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("only while Home Assistant is stopped") && text.contains("--ha-stopped"), text)
        }
        XCTAssertThrowsError(try apply(gateway.settings, nil))
        XCTAssertEqual(try Data(contentsOf: double.storage), Self.corrupted)
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), caddyfile)

        let outcome = try apply(gateway.settings, nil, homeAssistantStopped: true)
        XCTAssertEqual(outcome.result, .applied)
        XCTAssertEqual(try Data(contentsOf: double.storage), repaired)
        XCTAssertTrue(outcome.manual.contains(.restartHomeAssistant(service: "homeassistant")), "\(outcome.manual)")
        XCTAssertEqual(double.calls, [])
    }

    // MARK: Home Assistant's own trial, with an access token

    func trialGateway() throws -> (CaddyGateway, HomeAssistantProcessDouble, HomeAssistantWebSocketDouble, ReconcileSettings, RuntimeSettings) {
        var (gateway, process, runtime) = try makeGateway()
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: Self.corrupted) as? [String: Any])
        let stable = try XCTUnwrap((tree["data"] as? [String: Any])?["stable"] as? [String: Any])
        let token = "trial-token-\(UUID().uuidString)"
        let webSocket = try HomeAssistantWebSocketDouble(token: token, stable: stable)
        let tokenFile = gateway.root.appendingPathComponent("ha-token")
        try Data((token + "\n").utf8).write(to: tokenFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)  // a secret file is private
        var settings = gateway.settings
        settings.homeAssistantTokenFile = tokenFile.path
        runtime.homeAssistant = .commands(HomeAssistantControl(
            stop: [process.script.path, "stop", process.storage.path], start: [process.script.path, "start", process.storage.path],
            restart: [process.script.path, "restart", process.storage.path],
            readiness: HomeAssistantReadiness(port: webSocket.port, path: "/", timeout: .seconds(5), interval: .milliseconds(50))))
        return (gateway, process, webSocket, settings, runtime)
    }

    func testWithATokenTheTrialIsConfiguredProbedAndPromoted() throws {
        let (gateway, process, webSocket, settings, runtime) = try trialGateway()
        defer { withExtendedLifetime(gateway) {} }  // its deinit removes the tree
        let outcome = try apply(settings, runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertTrue(outcome.journal.contains { $0.event == .trialPromoted(path: process.storage.path) }, "\(outcome.journal)")
        XCTAssertEqual(process.calls, [], "no stop, no start: Home Assistant restarts into its trial by itself")
        XCTAssertEqual(try Data(contentsOf: process.storage), Self.corrupted, "Home Assistant writes its own file")
        XCTAssertEqual(webSocket.state.stable["trusted_proxies"] as? [String], ["127.0.0.1/32", "172.16.0.0/12", "::1/128"])
        XCTAssertNil(webSocket.configured.first?["error"])
        XCTAssertEqual(webSocket.received.last?["type"] as? String, "http/config/promote")
        XCTAssertTrue(outcome.probes.allSatisfy(\.passed))
        XCTAssertEqual(outcome.plan.target(.homeAssistant)?.restart?.mode, .homeAssistantTrial, "the plan says which path it takes")
        assertTokenNeverShown(webSocket.token, outcome)
    }

    /// The token is in no output: the plan (text and JSON), the steps, the failure.
    func assertTokenNeverShown(_ token: String, _ outcome: ApplyOutcome, file: StaticString = #filePath, line: UInt = #line) {
        let shown = [PlanTextRenderer.render(outcome.plan, diff: true), PlanJSONRenderer.render(outcome.plan),
                     outcome.journal.map(\.text).joined(separator: "\n"), outcome.failure ?? "", outcome.rollbackFailure ?? ""]
        for text in shown { XCTAssertFalse(text.contains(token), "the token was shown: \(text)", file: file, line: line) }
    }

    /// The trial needs a running Home Assistant to talk to: without a runtime, refused before anything;
    /// an empty token file is the settings' fault, named with its path.
    func testWithATokenButNoRuntimeOrNoTokenItIsRefusedBeforeAnything() throws {
        let (gateway, process, webSocket, settings, runtime) = try trialGateway()
        let caddyfile = try Data(contentsOf: gateway.caddyfile)
        XCTAssertThrowsError(try apply(settings, nil)) { error in
            XCTAssertTrue("\(error)".contains("Home Assistant's own trial"), "\(error)")
        }
        try Data("\n".utf8).write(to: URL(fileURLWithPath: try XCTUnwrap(settings.homeAssistantTokenFile)))
        XCTAssertThrowsError(try apply(settings, runtime)) { error in
            XCTAssertTrue("\(error)".contains("\(settings.homeAssistantTokenFile!): its first line is empty"), "\(error)")
        }
        XCTAssertEqual(webSocket.received.count, 0)
        XCTAssertEqual(process.calls, [])
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), caddyfile)
        XCTAssertEqual(try Data(contentsOf: process.storage), Self.corrupted)
    }

    func testWithATokenAFailedProbeIsNotPromotedAndTheRestRollsBack() throws {
        var (gateway, process, webSocket, settings, runtime) = try trialGateway()
        try gateway.declare(media: "127.0.0.1:\(CaddyGateway.freePort())")
        runtime.probes?.attempts = 2
        let caddyfile = try Data(contentsOf: gateway.caddyfile)
        let outcome = try apply(settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        XCTAssertTrue(outcome.failure?.contains("not promoted") ?? false, outcome.failure ?? "")
        XCTAssertFalse(webSocket.received.contains { $0["type"] as? String == "http/config/promote" })
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), caddyfile)
        XCTAssertEqual(process.calls, [])
        XCTAssertTrue(outcome.journal.contains { $0.undoing && $0.event == .trialLeftUnpromoted(path: process.storage.path) })
        assertTokenNeverShown(webSocket.token, outcome)
        webSocket.revert()
        XCTAssertEqual(webSocket.state.pending?["error"] as? String, "not_promoted")
    }
}
