import Foundation
import XCTest
import DesiredState
import HomeAssistant
import Compose
@testable import Planner

/// Issue #16: the plan says exactly what `up` restarts, which depends on the Compose client:
/// v1 hashes depends_on into a service's config (a new depends_on recreates the container), v2 does not.
final class ComposeClientPlanTests: XCTestCase {
    let compose = """
        services:
          caddy:
            image: caddy:latest
          jellyfin:
            image: jellyfin
            network_mode: host

        """

    func plan(client: ComposeClientVersion?, caddyRunning: Bool = true, route: CaddyRoute? = nil, createdBy: String? = nil) throws -> Plan {
        let text = "domain: example.com\nservices:\n  jellyfin:\n    host: media\n    upstream: host.docker.internal:8096\n    compose_service: jellyfin\n"
        let desired = try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
        let containers = [ComposeContainer(id: "c1", name: "mapio-caddy-1", service: "caddy", running: caddyRunning, status: caddyRunning ? "running" : "exited", configHash: "h-caddy",
                                           composeVersion: createdBy),
                          ComposeContainer(id: "j1", name: "mapio-jellyfin-1", service: "jellyfin", running: true, status: "running", configHash: "h-jellyfin",
                                           composeVersion: createdBy)]
        var inputs = PlanInputs(desired: desired, summary: DesiredSummary(file: "exposure.yaml", domain: desired.domain, services: ["jellyfin"]),
                                caddyfile: LiveFile(path: "Caddyfile", bytes: []),
                                homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                composeFile: LiveFile(path: "docker-compose.yml", bytes: Array(compose.utf8)),
                                composeRuntime: ComposeRuntimeState(containers: containers,
                                                                    definitionHashes: ["caddy": "h-caddy", "jellyfin": "h-jellyfin"], client: client))
        inputs.caddy = route
        return try Planner.plan(inputs)
    }

    func composeTarget(_ plan: Plan) throws -> TargetPlan {
        try XCTUnwrap(plan.targets.first { $0.kind == .compose })
    }

    func testComposeV1RecreatesTheServiceWhoseDependsOnChanges() throws {
        let target = try composeTarget(try plan(client: ComposeClientVersion(major: 1, version: "1.29.2")))
        XCTAssertEqual(target.restarts, ["jellyfin"])
        XCTAssertEqual(target.changes.first?.restarts, ["jellyfin"])
        XCTAssertTrue(target.note?.contains("Compose v1 (1.29.2) hashes depends_on") == true, target.note ?? "no note")
        let text = PlanTextRenderer.render(try plan(client: ComposeClientVersion(major: 1, version: "1.29.2")))
        XCTAssertTrue(text.contains("restarts: jellyfin"), text)
    }

    func testComposeV2RecreatesNothingForADependsOnChange() throws {
        let target = try composeTarget(try plan(client: ComposeClientVersion(major: 2, version: "2.40.3")))
        XCTAssertTrue(target.writesFile, "the depends_on entry is still written")
        XCTAssertEqual(target.restarts, [])
        XCTAssertEqual(target.changes.first?.restarts, [])
        XCTAssertTrue(target.note?.contains("Compose v2 (2.40.3) leaves depends_on out") == true, target.note ?? "no note")
        let text = PlanTextRenderer.render(try plan(client: ComposeClientVersion(major: 2, version: "2.40.3")))
        XCTAssertFalse(text.contains("restarts:"), text)
    }

    func testComposeV2StillBringsUpAStoppedProxy() throws {
        let target = try composeTarget(try plan(client: ComposeClientVersion(major: 2, version: "2.40.3"), caddyRunning: false))
        XCTAssertEqual(target.restarts, ["caddy"])
    }

    func testUnknownClientCountsAsV1() throws {
        XCTAssertEqual(try composeTarget(try plan(client: nil)).restarts, ["jellyfin"])
    }

    // Issue #24: the plan names the Compose that created the containers and the one that would run; the other major
    // is flagged (it would recreate and rename them), and an explicit choice is said to be one.
    func testThePlanNamesBothComposeClientsAndFlagsTheOtherMajor() throws {
        let mismatch = try composeTarget(try plan(client: ComposeClientVersion(major: 1, version: "1.29.2"), createdBy: "2.40.3"))
        XCTAssertEqual(mismatch.composeClients?.createdBy.map(\.version), ["2.40.3"])
        XCTAssertEqual(mismatch.composeClients?.runs.version, "1.29.2")
        let warning = try XCTUnwrap(mismatch.warnings.first { $0.code == .composeMajorMismatch }, "\(mismatch.warnings)")
        XCTAssertTrue(warning.message.contains("created by Compose v2 (2.40.3) and Compose v1 (1.29.2) would run"), warning.message)
        XCTAssertTrue(warning.message.contains("an apply refuses (compose_major_mismatch)"), warning.message)
        XCTAssertEqual(warning.diagnostic.hint, "install the Compose that created them, or choose a client with `--compose v2` or `--compose v1`")
        let text = PlanTextRenderer.render(try plan(client: ComposeClientVersion(major: 1, version: "1.29.2"), createdBy: "2.40.3"))
        XCTAssertTrue(text.contains("Compose: containers created by Compose v2 (2.40.3); up runs Compose v1 (1.29.2), found by --compose auto"), text)

        let chosen = try composeTarget(try plan(client: ComposeClientVersion(major: 1, version: "1.29.2", chosen: true), createdBy: "2.40.3"))
        let chosenWarning = try XCTUnwrap(chosen.warnings.first { $0.code == .composeMajorMismatch })
        XCTAssertTrue(chosenWarning.message.hasSuffix("(chosen with --compose)"), chosenWarning.message)
        XCTAssertNil(chosenWarning.diagnostic.hint)

        let same = try composeTarget(try plan(client: ComposeClientVersion(major: 2, version: "2.40.3"), createdBy: "2.39.1"))
        XCTAssertFalse(same.warnings.contains { $0.code == .composeMajorMismatch }, "\(same.warnings)")
        XCTAssertEqual(same.composeClients?.createdBy.map(\.version), ["2.39.1"])
        let json = PlanJSONRenderer.render(try plan(client: ComposeClientVersion(major: 2, version: "2.40.3"), createdBy: "2.39.1"))
        XCTAssertTrue(json.contains("\"compose_clients\""), json)
    }

    func testThePlanNamesTheWayToCaddyInTextAndJSON() throws {
        let route = CaddyRoute(way: .container, target: "mapio-caddy-1", service: "caddy", version: "v2.11.7",
                               reason: "auto: the admin API at 127.0.0.1:2019 did not answer (cannot connect)")
        let result = try plan(client: nil, route: route)
        XCTAssertEqual(result.caddy, route)
        let text = PlanTextRenderer.render(result)
        XCTAssertTrue(text.contains("  Caddy: loaded by Caddy in its container mapio-caddy-1 (Caddy v2.11.7)\n"), text)
        let verbose = PlanTextRenderer.render(result, verbose: true)
        XCTAssertTrue(verbose.contains("Caddy: validated (`caddy adapt --validate`) and loaded (`caddy reload`) by Caddy in its container mapio-caddy-1, service caddy (Caddy v2.11.7)"), verbose)
        XCTAssertTrue(verbose.contains("auto: the admin API at 127.0.0.1:2019 did not answer"), verbose)
        let json = PlanJSONRenderer.render(result)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let caddy = try XCTUnwrap(object["caddy"] as? [String: Any], json)
        XCTAssertEqual(caddy["way"] as? String, "container")
        XCTAssertEqual(caddy["version"] as? String, "v2.11.7")
        XCTAssertEqual(try JSONDecoder().decode(CaddyRoute.self, from: JSONSerialization.data(withJSONObject: caddy)), route, "the route round-trips")
    }
}
