import Diagnostics
import XCTest
import DesiredState
import Planner
import StatusReport
@testable import Controller

/// The status report is a rendering of the plan's typed facts: which service a change is for, its kind,
/// its host. These tests build plans by hand, so a sentence the planner words differently cannot matter.
final class StatusMappingTests: XCTestCase {
    let desired = try! DesiredStateParser.parse(Array("""
    domain: example.com
    services:
      jellyfin:
        host: media
        upstream: h:8096
        compose_service: jellyfin
        own_login: true
      ha:
        host: "@"
        upstream: h:8123
        home_assistant: true

    """.utf8), file: "exposure.yaml")

    func facts(_ stage: CycleFacts.Stage) -> CycleFacts {
        CycleFacts(gateway: "gw", source: nil, desiredCommit: nil, lastApplied: nil, desired: desired, stage: stage, notes: [],
                   previous: nil, now: StatusTime(secondsSince1970: 0))
    }

    func plan(_ caddy: [PlannedChange], compose: [PlannedChange] = [], homeAssistant: [PlannedChange] = []) -> Plan {
        Plan(desired: DesiredSummary(file: "exposure.yaml", domain: "example.com", services: ["jellyfin", "ha"]),
             targets: [TargetPlan(kind: .caddyfile, path: "Caddyfile", changes: caddy,
                                  warnings: [PlanWarning(.openToInternet, file: "exposure.yaml", "open")]),
                       TargetPlan(kind: .homeAssistant, path: "configuration.yaml", changes: homeAssistant),
                       TargetPlan(kind: .compose, path: "compose.yml", changes: compose)])
    }

    /// Prose that would have fooled the old mapping: a drift restore whose reason does not start with
    /// "drift", and a removal whose summary holds no address.
    func testDriftAndRemovalComeFromTheKindAndTheHostNotFromTheWords() throws {
        let restore = PlannedChange(kind: .restoreDrift, subject: "jellyfin", service: "jellyfin", host: "media.example.com",
                                    summary: "https://media.example.com -> h:8096", reason: "edited by hand: putting it back")
        let removal = PlannedChange(kind: .remove, subject: "old", service: "old", host: "old.example.com",
                                    summary: "no addresses in these words", reason: "gone", exposure: .stopsBeingPublic)
        let report = StatusMapping.report(facts(.planned(plan([restore, removal]))))
        let jellyfin = try XCTUnwrap(report.services.first { $0.name == "jellyfin" })
        XCTAssertEqual(jellyfin.state, .drifted)
        XCTAssertEqual(jellyfin.reason, "edited by hand: putting it back")
        let old = try XCTUnwrap(report.services.first { $0.name == "old" })
        XCTAssertEqual(old.address, "https://old.example.com")
        XCTAssertEqual(old.state, .pending)
        XCTAssertEqual(report.outcome, .pending)
        XCTAssertEqual(report.warnings, ["Caddyfile: exposure.yaml: open"])
    }

    /// Compose changes belong to the services whose compose_service they name; Home Assistant's trust
    /// changes to the service the planner attributed them to.
    func testChangesAreAttributedByTypedService() throws {
        let dependency = PlannedChange(kind: .add, subject: "jellyfin", composeService: "jellyfin", summary: "depends_on += caddy",
                                       reason: "exposed")
        let trust = PlannedChange(kind: .add, subject: "trusted_proxies", service: "ha", summary: "trust 172.16.0.0/12",
                                  reason: "behind Caddy")
        let orphanTrust = PlannedChange(kind: .remove, subject: "http", summary: "remove the http: block", reason: "no HA")
        let report = StatusMapping.report(facts(.planned(plan([], compose: [dependency], homeAssistant: [trust, orphanTrust]))))
        XCTAssertEqual(report.services.first { $0.name == "jellyfin" }?.reason, "+ depends_on += caddy")
        XCTAssertEqual(report.services.first { $0.name == "ha" }?.reason, "+ trust 172.16.0.0/12")
        XCTAssertEqual(report.services.count, 2, "a change for no service adds no row")
    }

    func testANewPublicHostIsNotPublishedUntilApplied() throws {
        let add = PlannedChange(kind: .add, subject: "jellyfin", service: "jellyfin", host: "media.example.com",
                                summary: "https://media.example.com -> h:8096", reason: "declared", exposure: .becomesPublic)
        let planned = StatusMapping.report(facts(.planned(plan([add]))))
        XCTAssertEqual(planned.services.first { $0.name == "jellyfin" }?.published, false)
        XCTAssertEqual(planned.services.first { $0.name == "ha" }?.state, .exposed)
        let failed = StatusMapping.report(facts(.applyFailed(plan([add]), .failed(.probeFailed, "boom\nsecond line"), nil)))
        let row = try XCTUnwrap(failed.services.first { $0.name == "jellyfin" })
        XCTAssertEqual(row.state, .failed)
        XCTAssertEqual(row.published, false)
        XCTAssertEqual(row.reason, "+ https://media.example.com -> h:8096: not applied (boom)")
        XCTAssertEqual(failed.targets.first { $0.name == "Caddyfile" }?.state, .failed)
    }

    func testAppliedRemovalAndRestoredDrift() throws {
        let restore = PlannedChange(kind: .restoreDrift, subject: "jellyfin", service: "jellyfin", host: "media.example.com",
                                    summary: "s", reason: "drift: lines 4-6 were edited by hand")
        let removal = PlannedChange(kind: .remove, subject: "old", service: "old", host: "old.example.com", summary: "s", reason: "gone")
        let plan = plan([restore, removal])
        let report = StatusMapping.report(facts(.applied(plan, ApplyOutcome(plan: plan, result: .applied))))
        XCTAssertEqual(report.outcome, .applied)
        XCTAssertEqual(report.services.first { $0.name == "jellyfin" }?.reason, "restored: drift: lines 4-6 were edited by hand")
        let old = try XCTUnwrap(report.services.first { $0.name == "old" })
        XCTAssertEqual(old.reason, "removed: - s")
        XCTAssertEqual(old.published, false)
    }
}
