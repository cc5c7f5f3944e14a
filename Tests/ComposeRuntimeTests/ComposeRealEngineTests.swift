import Compose
import Foundation
import TestSupport
import XCTest
#if canImport(ComposeRuntime)
@testable import ComposeRuntime
#else
@testable import Adapters
#endif

/// The issue's scenarios against a real dockerd and docker-compose 1.29.2.
final class ComposeRealEngineTests: XCTestCase {
    private var engine: DockerTestEngine!
    private var project: GatewayTestProject!

    override func setUpWithError() throws {
        project = try GatewayTestProject(for: self)
        engine = project.engine
        XCTAssertEqual(project.runtime.client.kind, .v1)
    }

    func testAddingAServiceEditsDependsOnRecreatesOnlyItAndBringsUpCaddy() throws {
        let before = try project.containerIDs()
        XCTAssertEqual(Set(before.keys), ["zigbee2mqtt", "homeassistant", "jellyfin"])

        let (edit, plan) = try project.apply(exposed: ["jellyfin"], ledger: .empty)

        XCTAssertEqual(edit.recreates, ["jellyfin"])
        XCTAssertEqual(plan.bringUp, ["caddy", "jellyfin"])
        XCTAssertEqual(plan.recreates, ["jellyfin"], "v1 puts depends_on in the config hash")
        XCTAssertEqual(plan.drift, ["caddy has no container: it was never brought up"])
        XCTAssertEqual(plan.state.servicesToBringUp(services: edit.recreates), ["caddy", "jellyfin"],
                       "the pure answer without the edited file's hashes agrees")
        let after = try project.runtime.state()
        XCTAssertTrue(after.isRunning("caddy"))
        XCTAssertNotEqual(after.containers(of: "jellyfin").first?.id, before["jellyfin"], "jellyfin recreated")
        XCTAssertEqual(after.containers(of: "homeassistant").first?.id, before["homeassistant"])
        XCTAssertEqual(after.containers(of: "zigbee2mqtt").first?.id, before["zigbee2mqtt"])
        XCTAssertEqual(after.containers(of: "jellyfin").first?.configHash, plan.hashesAfter["jellyfin"])
        XCTAssertEqual(after.drift(for: ["jellyfin"]), [])

        let dependsOn = try externalDependsOn(project.composePath, engine: engine)
        XCTAssertEqual(dependsOn["jellyfin"], ["caddy"])
        XCTAssertEqual(dependsOn["homeassistant"], ["zigbee2mqtt"])
        XCTAssertEqual(dependsOn["caddy"], [])
        // The gateway's path end to end: loopback -> caddy (bridge) -> host.docker.internal -> host-network upstream.
        let reply = httpGet(port: project.caddyPort)
        XCTAssertTrue(reply?.hasPrefix("HTTP/1.0 200") ?? false, reply ?? "no reply")
        XCTAssertTrue(reply?.contains("upstream ok") ?? false, reply ?? "no reply")
    }

    func testPruneRemovesOnlyOurDependencyAndRecreatesOnlyThatService() throws {
        let (first, _) = try project.apply(exposed: ["homeassistant", "jellyfin"], ledger: .empty)
        let before = try project.containerIDs()

        let (edit, plan) = try project.apply(exposed: ["homeassistant"], ledger: first.ledger)

        XCTAssertEqual(edit.changes.map(\.description), ["jellyfin: remove caddy from depends_on, short form (the key goes: it held only this entry), line 42"])
        XCTAssertEqual(plan.bringUp, ["jellyfin"])
        let after = try project.containerIDs()
        XCTAssertNotEqual(after["jellyfin"], before["jellyfin"])
        for service in ["caddy", "homeassistant", "zigbee2mqtt"] { XCTAssertEqual(after[service], before[service], service) }
        let dependsOn = try externalDependsOn(project.composePath, engine: engine)
        XCTAssertEqual(dependsOn["jellyfin"], [])
        XCTAssertEqual(dependsOn["homeassistant"], ["zigbee2mqtt", "caddy"])

        // Pruning the last one restores the user's file byte for byte.
        try project.apply(exposed: [], ledger: edit.ledger)
        XCTAssertEqual(project.bytesOnDisk, project.originalBytes)
    }

    func testConvergedProjectRunsNoUpAndRecreatesNothing() throws {
        let (first, _) = try project.apply(exposed: ["jellyfin", "homeassistant"], ledger: .empty)
        let bytes = project.bytesOnDisk
        let before = try project.containerIDs()

        let (edit, plan) = try project.apply(exposed: ["jellyfin", "homeassistant"], ledger: first.ledger)

        XCTAssertNil(edit.newBytes)
        XCTAssertEqual(plan.bringUp, [])
        XCTAssertEqual(plan.drift, [])
        XCTAssertEqual(project.bytesOnDisk, bytes)
        XCTAssertEqual(try project.containerIDs(), before)
    }

    func testAHandEditedDefinitionIsDriftAndGetsBroughtUp() throws {
        // The user changed jellyfin's command by hand and did not run `up`.
        let handEdited = String(decoding: project.originalBytes, as: UTF8.self)
            .replacingOccurrences(of: #""-h", "/www"]"#, with: #""-h", "/www", "-v"]"#)
        try project.write(Array(handEdited.utf8))
        let drift = try project.runtime.state().drift(for: ["jellyfin"])
        XCTAssertEqual(drift.count, 2, "\(drift)")
        XCTAssertTrue(drift.contains { $0.hasPrefix("jellyfin's container is older than its definition (config hash ") }, "\(drift)")

        let (_, plan) = try project.apply(exposed: ["jellyfin"], ledger: .empty)
        XCTAssertEqual(plan.bringUp, ["caddy", "jellyfin"])
        XCTAssertEqual(try project.runtime.state().drift(for: ["jellyfin", "homeassistant"]), [])
    }

    func testAStoppedServiceIsLeftStopped() throws {
        _ = try project.runtime.compose(["stop", "-t", "1", "homeassistant"], file: project.composePath, purpose: .query, context: "test")
        let (_, plan) = try project.apply(exposed: ["homeassistant", "jellyfin"], ledger: .empty)
        XCTAssertEqual(plan.bringUp, ["caddy", "jellyfin"])
        XCTAssertTrue(plan.drift.contains("homeassistant is not running (exited); reconcile leaves it stopped"), "\(plan.drift)")
        XCTAssertFalse(try project.runtime.state().isRunning("homeassistant"))
    }

    func testComposeRejectingTheEditedFileIsAClearErrorAndNothingIsWritten() throws {
        let broken = Array(String(decoding: project.originalBytes, as: UTF8.self)
            .replacingOccurrences(of: "      - zigbee2mqtt\n", with: "      - zigbee2mqtt\n      - mosquitto\n").utf8)
        let listing = project.directoryListing
        XCTAssertThrowsError(try project.runtime.validate(fileBytes: broken)) { error in
            let error = error as! ComposeRuntimeError
            XCTAssertEqual(error.kind, .fileRejected)
            XCTAssertEqual(error.exitStatus, 1)
            XCTAssertTrue(error.command.contains("config") && error.command.contains("-q"), "\(error.command)")
            XCTAssertTrue(error.description.contains("mosquitto"), error.description)
            XCTAssertTrue(error.description.contains("validating the edited \(project.composePath)"), error.description)
        }
        XCTAssertEqual(project.directoryListing, listing, "the temporary copy is gone")
        XCTAssertEqual(project.bytesOnDisk, project.originalBytes)
    }

    /// Runs last in this class (alphabetical order): it stops the shared engine and starts it again.
    func testZEngineStoppedMidRunIsAClearErrorAndTouchesNoFile() throws {
        let edit = try ComposePlanner.plan(project.bytesOnDisk, file: project.composePath, exposed: ["jellyfin"], ledger: .empty)
        XCTAssertNotNil(edit.newBytes)
        let listing = project.directoryListing
        guard engine.stop() else {
            throw XCTSkip("the test engine was running before this suite started (or DOCKER_HOST names another one); an engine the suite did not start is left as it was found")
        }
        defer { engine.restart() }
        let started = ContinuousClock.now
        XCTAssertThrowsError(try project.runtime.prepare(edit, exposed: ["jellyfin"])) { error in
            let error = error as! ComposeRuntimeError
            // The containers are read from the engine's socket (no `compose ps`): the error names the socket.
            XCTAssertEqual(error.kind, .engineDown, error.description)
            XCTAssertTrue(error.description.hasPrefix("the Docker engine is not reachable"), error.description)
            XCTAssertTrue(error.description.contains("did not answer"), error.description)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(20))
        XCTAssertThrowsError(try project.runtime.up(services: ["caddy"])) { error in
            XCTAssertEqual((error as! ComposeRuntimeError).kind, .engineDown)
        }
        XCTAssertEqual(project.bytesOnDisk, project.originalBytes)
        XCTAssertEqual(project.directoryListing, listing)
    }
}
