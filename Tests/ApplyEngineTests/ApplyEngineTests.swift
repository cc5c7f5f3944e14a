import Adapters
import Controller
import Foundation
import TestSupport
import XCTest

/// The apply transaction against a real, running Caddy.
final class ApplyEngineTests: XCTestCase {
    func testFreshGatewayIsExposedThenASecondApplyDoesNothing() throws {
        let gateway = try CaddyGateway()
        XCTAssertNil(gateway.fetch("media.gateway.test"), "nothing is exposed before the apply")

        let outcome = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(outcome.probes.map(\.host), ["gateway.test", "media.gateway.test"])
        XCTAssertTrue(outcome.probes.allSatisfy(\.passed), "\(outcome.probes)")
        XCTAssertEqual(gateway.fetch("media.gateway.test"), "media")
        XCTAssertEqual(gateway.fetch("gateway.test"), "home assistant")
        XCTAssertTrue(outcome.manual.contains(.restartHomeAssistant(service: "homeassistant")), "\(outcome.manual)")

        let inode = gateway.inode(gateway.caddyfile)
        let config = try gateway.runningConfig()
        let again = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(again.result, .converged)
        XCTAssertEqual(again.journal, [], "no write, no reload, no restart")
        XCTAssertEqual(gateway.inode(gateway.caddyfile), inode, "the Caddyfile was not rewritten")
        XCTAssertEqual(try gateway.runningConfig(), config)
    }

    func testFailedProbeRollsBackAndTheOldRoutesStillAnswer() throws {
        let gateway = try CaddyGateway()
        try gateway.declare(media: nil)
        XCTAssertEqual(try apply(gateway.settings, gateway.runtime).result, .applied)
        let before = try Data(contentsOf: gateway.caddyfile)
        let ledger = try Data(contentsOf: gateway.stateDir.appendingPathComponent("ledger.json"))

        // Media's upstream is a port nobody listens on: Caddy answers 502 and the probe fails.
        try gateway.declare(media: "127.0.0.1:\(CaddyGateway.freePort())")
        var runtime = gateway.runtime
        runtime.probes?.attempts = 3
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        guard case .probe(let failed)? = outcome.error else { return XCTFail(outcome.failure ?? "no failure") }
        XCTAssertEqual(failed.host, "media.gateway.test")
        XCTAssertEqual(failed.status, 502)
        XCTAssertEqual(outcome.error?.reconcileError.reason, .probeFailed)
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), before, "the Caddyfile is back to its old bytes")
        XCTAssertEqual(try Data(contentsOf: gateway.stateDir.appendingPathComponent("ledger.json")), ledger)
        XCTAssertEqual(outcome.rollbackProbes.map(\.host), ["gateway.test"])
        XCTAssertTrue(outcome.rollbackProbes.allSatisfy(\.passed))
        XCTAssertFalse(try gateway.runningConfig().contains("media.gateway.test"), "Caddy runs the old config again")
        XCTAssertEqual(gateway.fetch("gateway.test"), "home assistant")
    }

    func testCaddyRefusingTheConfigKeepsTheOldOneServing() throws {
        let gateway = try CaddyGateway()
        try gateway.declare(media: nil)
        XCTAssertEqual(try apply(gateway.settings, gateway.runtime).result, .applied)
        let config = try gateway.runningConfig()

        // The user's own part now names a certificate that does not exist: it adapts (our validation
        // passes) but Caddy cannot load it. Our new site comes in the same apply.
        let text = try String(contentsOf: gateway.caddyfile, encoding: .utf8)
            + "\nbroken.gateway.test {\n\ttls /nonexistent/cert.pem /nonexistent/key.pem\n\trespond \"x\"\n}\n"
        try gateway.write(text, to: gateway.caddyfile)
        let userVersion = try Data(contentsOf: gateway.caddyfile)
        try gateway.declare(media: "127.0.0.1:\(gateway.mediaPort)")
        let outcome = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        XCTAssertEqual(outcome.failedStep?.name, "load_caddy")
        XCTAssertEqual(outcome.error?.reconcileError.reason, .caddyRejected)
        XCTAssertTrue(outcome.failure?.contains("nonexistent") ?? false, "Caddy's own words are kept: \(outcome.failure ?? "")")
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), userVersion, "the file is what the user left")
        XCTAssertEqual(try gateway.runningConfig(), config, "Caddy kept serving the old config")
        XCTAssertEqual(gateway.fetch("gateway.test"), "home assistant")
        XCTAssertNil(gateway.fetch("media.gateway.test"))
    }

    func testWithoutRuntimeOnlyFilesAreWrittenAndTheRestIsListed() throws {
        let gateway = try CaddyGateway()
        let config = try gateway.runningConfig()
        let outcome = try apply(gateway.settings, nil)
        XCTAssertEqual(outcome.result, .applied)
        XCTAssertEqual(outcome.written.count, 2, "Caddyfile and configuration.yaml")
        XCTAssertTrue(outcome.manual.contains(.reloadCaddy), "\(outcome.manual)")
        XCTAssertEqual(try gateway.runningConfig(), config, "--no-runtime does not touch Caddy")
    }
}
