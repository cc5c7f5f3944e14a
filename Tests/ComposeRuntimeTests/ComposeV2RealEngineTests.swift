import Compose
import Foundation
import TestSupport
import XCTest
@testable import Adapters

/// Issue #16: the same project under the real Compose v2 (2.40.3, `docker compose`), which the gateway's OS
/// documents. v2 leaves depends_on out of its config hash: adding `caddy` to a service's depends_on recreates
/// nothing, which Compose's own hashes show and the container ids confirm (v1: ComposeRealEngineTests).
final class ComposeV2RealEngineTests: XCTestCase {
    private var engine: DockerTestEngine!
    private var project: GatewayTestProject!

    override func setUpWithError() throws {
        project = try GatewayTestProject(for: self, client: .v2())
        engine = project.engine
        XCTAssertEqual(project.runtime.client.kind, .v2)
    }

    func testAddingAServiceRecreatesNothingAndBringsUpCaddy() throws {
        let before = try project.containerIDs()
        XCTAssertEqual(try project.runtime.state().client, ComposeClientVersion(major: 2, version: "2.40.3", chosen: true), "named by the test: .v2()")

        let (edit, plan) = try project.apply(exposed: ["jellyfin"], ledger: .empty)

        XCTAssertEqual(edit.recreates, ["jellyfin"], "the file's depends_on changed")
        XCTAssertEqual(plan.hashesAfter["jellyfin"], plan.state.definitionHashes["jellyfin"],
                       "Compose v2's own hash of jellyfin ignores the new depends_on")
        XCTAssertEqual(plan.recreates, [])
        XCTAssertEqual(plan.bringUp, ["caddy"])
        let after = try project.runtime.state()
        XCTAssertTrue(after.isRunning("caddy"))
        for service in ["jellyfin", "homeassistant", "zigbee2mqtt"] {
            XCTAssertEqual(after.containers(of: service).first?.id, before[service], "\(service) was recreated")
        }
        XCTAssertEqual(after.drift(for: ["jellyfin"]), [])
        XCTAssertEqual(try externalDependsOn(project.composePath, engine: engine)["jellyfin"], ["caddy"])
        let reply = httpGet(port: project.caddyPort)
        XCTAssertTrue(reply?.contains("upstream ok") ?? false, reply ?? "no reply")

        // Pruning it again recreates nothing either, and gives the user's file back byte for byte.
        let (_, prune) = try project.apply(exposed: [], ledger: edit.ledger)
        XCTAssertEqual(prune.recreates, [])
        XCTAssertEqual(try project.containerIDs()["jellyfin"], before["jellyfin"])
        XCTAssertEqual(project.bytesOnDisk, project.originalBytes)
    }
}
