import Foundation
import HomeAssistant
import XCTest
@testable import Planner

/// The plan's text reads at a glance: what was not reached, what Home Assistant will do, and how it is
/// restarted are one line each, rendered from typed values; `verbose` and the JSON carry the whole of each.
final class PlanGlanceTests: XCTestCase {
    let problem = "Caddy could not be reached either way: Caddy's admin API at 127.0.0.1:2019 did not answer (cannot connect: Connection refused); "
        + "and no service of docker-compose.yml bind-mounts the Caddyfile, so Caddy's container is unknown; say how to reach Caddy instead"

    func plan() -> Plan {
        let change = PlannedChange(kind: .add, subject: "trusted_proxies", summary: "trust 172.16.0.0/12", reason: "homeassistant is behind Caddy")
        var caddyfile = TargetPlan(kind: .caddyfile, path: "/gw/Caddyfile")
        caddyfile.changes = [PlannedChange(kind: .add, subject: "jellyfin", summary: "https://media.example.com -> h:8096", reason: "declared")]
        var homeAssistant = TargetPlan(kind: .homeAssistant, path: "/gw/ha/.storage/http", changes: [change],
                                       restart: ServiceRestart(mode: .stopWriteStart, services: ["homeassistant"],
                                                               reason: "Home Assistant rewrites .storage/http from memory: " + String(repeating: "and more ", count: 30)))
        homeAssistant.notes = [.migratesAtFirstStart(storagePath: "/gw/ha/.storage/http"), .pendingTrial(storagePath: "/gw/ha/.storage/http")]
        homeAssistant.homeAssistantMode = .notMigrated(storagePath: "/gw/ha/.storage/http", configurationPath: "/gw/ha/configuration.yaml")
        homeAssistant.note = "YAML mode: " + (homeAssistant.homeAssistantMode?.explanation ?? "")
        let compose = TargetPlan(kind: .compose, path: "/gw/docker-compose.yml", changes: [],
                                 warnings: [PlanWarning(.engineNotRead, file: "/gw/docker-compose.yml",
                                                        "the engine's state was not read (the Docker engine at /run/docker.sock did not answer); the plan covers the file only")])
        var plan = Plan(desired: DesiredSummary(file: "exposure.yaml", domain: "example.com", services: ["jellyfin", "homeassistant"]),
                        targets: [caddyfile, homeAssistant, compose])
        plan.caddy = CaddyRoute(way: nil, reason: "auto", problem: problem)
        return plan
    }

    func testEachThingNotReachedAndEachNoteIsOneShortLine() {
        let text = PlanTextRenderer.render(plan())
        for line in text.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 120, "a paragraph in the plan: \(line)")
        }
        XCTAssertTrue(text.contains("\n  Caddy: not reached; the plan covers the file\n"), text)
        XCTAssertTrue(text.contains("\n  Docker engine: not reached; the plan covers the file\n"), text)
        XCTAssertTrue(text.contains("\n  YAML mode: .storage/http has not migrated yet; http: is read from configuration.yaml\n"), text)
        XCTAssertTrue(text.contains("\n  note: Home Assistant 2026.8.0+ moves http: into .storage/http at its first start: run reconcile after it\n"), text)
        XCTAssertTrue(text.contains("\n      stop Home Assistant, read the file again, write data.stable, start it"), text)
        XCTAssertTrue(text.hasSuffix("`--verbose` explains each short line above (not reached, notes) in full.\n"), text)
    }

    func testVerboseAndJSONCarryTheWholeOfEach() throws {
        let plan = plan()
        let verbose = PlanTextRenderer.render(plan, verbose: true)
        for whole in [problem, "core#182040", "runs it as a trial", "the engine's state was not read (the Docker engine at /run/docker.sock",
                      "yaml_migration_done is not true", String(repeating: "and more ", count: 30)] {
            XCTAssertTrue(verbose.contains(whole), "--verbose lacks \(whole):\n\(verbose)")
        }
        XCTAssertFalse(verbose.contains("--verbose"), "nothing left to explain")
        let json = PlanJSONRenderer.render(plan)
        for whole in ["core#182040", "runs it as a trial", "yaml_migration_done is not true", "did not answer (cannot connect"] {
            XCTAssertTrue(json.contains(whole), "--json lacks \(whole)")
        }
    }
}
