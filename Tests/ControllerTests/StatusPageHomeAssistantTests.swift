import DesiredState
import Diagnostics
import Foundation
import Planner
import StatusPage
import XCTest
@testable import Controller

/// The page tells the owner who may reach what. Home Assistant always asks for its own login, so a service
/// declared `home_assistant: true` (the bundled example's, "it has its own login") is neither worded nor
/// drawn as an open door, as the plan already does not warn about it.
final class StatusPageHomeAssistantTests: XCTestCase {
    func testTheExamplesHomeAssistantIsShownBehindItsOwnLoginNotAsOpenToAnyone() throws {
        let file = GuaranteesDocumentTests.root.appendingPathComponent("example-repo/exposure.yaml")
        let desired = try DesiredStateParser.parse(Array(try Data(contentsOf: file)), file: "exposure.yaml")
        let homeAssistant = try XCTUnwrap(desired.homeAssistant)
        XCTAssertFalse(homeAssistant.exposure.ownLogin, "the example says home_assistant: true, not own_login")
        let plan = Plan(desired: DesiredSummary(file: "exposure.yaml", domain: desired.domain, services: desired.services.map(\.name)), targets: [])
        let facts = CycleFacts(gateway: "gw", source: nil, desiredCommit: nil, lastApplied: nil, desired: desired, stage: .planned(plan),
                               notes: [], previous: nil, now: StatusTime(secondsSince1970: 0))
        let model = StatusPageMapping.model(facts, report: StatusMapping.report(facts), history: [], previousServices: [])
        let entry = try XCTUnwrap(model.services.first { $0.name == homeAssistant.name })
        XCTAssertEqual(entry.audience.reach, .internet)
        XCTAssertTrue(entry.audience.ownLogin)
        XCTAssertFalse(entry.audience.isWideOpen)

        let html = StatusPageHTML.render(model)
        XCTAssertFalse(html.contains("no login at all"), "every service of the example asks for a login:\n\(html)")
        let row = try XCTUnwrap(html.components(separatedBy: "<tr>").first { $0.contains("<strong>\(homeAssistant.name)</strong>") })
        XCTAssertTrue(row.contains("own login"), row)
        // The internet → Caddy edge is the one open (red) edge; each service's edge is guarded.
        XCTAssertEqual(html.components(separatedBy: "class=\"edge open\"").count - 1, 1, html)
    }
}
