import Caddyfile
import DesiredState
import Foundation
import HomeAssistant
import XCTest
@testable import Planner

/// The plan renders the managed blocks for the Caddy that serves, and says which.
final class CaddyVersionPlanTests: XCTestCase {
    static let yaml = """
        domain: example.com
        services:
          vault:
            host: vault
            upstream: host.docker.internal:8200
            basic_auth: {alice: "$2a$14$LSXvTE9Sx6WGLOnFvAU6wusphy9TzoshDlCYNEDMhFqDTpazi6NR."}

        """

    func plan(_ version: CaddyVersion?, caddyfile: [UInt8] = []) throws -> TargetPlan {
        let state = try DesiredStateParser.parse(Array(Self.yaml.utf8), file: "exposure.yaml")
        var inputs = PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                                caddyfile: LiveFile(path: "Caddyfile", bytes: caddyfile),
                                homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                composeFile: LiveFile(path: "compose.yml", bytes: nil))
        inputs.caddyVersion = version
        return try XCTUnwrap(try Planner.plan(inputs).targets.first { $0.kind == .caddyfile })
    }

    func testBlocksAreWrittenForTheServingCaddy() throws {
        let latest = try plan(CaddyVersion.parse("v2.11.7 h1:yj0Y4fYZGPkSvibBJ1sTWE33xC0fxztVyXEW5iIdUT4="))
        let latestText = String(decoding: try XCTUnwrap(latest.newContent), as: UTF8.self)
        XCTAssertTrue(latestText.contains("\t\tbasic_auth {\n"), latestText)
        XCTAssertEqual(latest.renderedFor?.version, CaddyVersion(2, 11, 7))

        let unknown = try plan(nil)
        let unknownText = String(decoding: try XCTUnwrap(unknown.newContent), as: UTF8.self)
        XCTAssertTrue(unknownText.contains("\t\tbasicauth {\n"), unknownText)
        XCTAssertEqual(unknown.renderedFor, .portable)

        // The plan says so, in text and JSON.
        let summary = DesiredSummary(file: "exposure.yaml", domain: "example.com", services: ["vault"])
        let text = PlanTextRenderer.render(Plan(desired: summary, targets: [latest]))
        XCTAssertTrue(text.contains("managed blocks written for Caddy 2.11.7"), text)
        XCTAssertTrue(PlanTextRenderer.render(Plan(desired: summary, targets: [unknown])).contains("written for an unknown Caddy version"))
        let json = String(decoding: try JSONEncoder().encode(latest), as: UTF8.self)
        XCTAssertTrue(json.contains(#""rendered_for_caddy":"2.11.7""#), json)
        XCTAssertTrue(String(decoding: try JSONEncoder().encode(unknown), as: UTF8.self).contains(#""rendered_for_caddy":"unknown""#))

        // The Caddy was upgraded: the block written for an unknown one is respelled, and the plan says why.
        let upgraded = try plan(CaddyVersion(2, 11, 7), caddyfile: try XCTUnwrap(unknown.newContent))
        XCTAssertEqual(upgraded.changes.map(\.kind), [.change])
        XCTAssertTrue(upgraded.changes[0].summary.contains("basic auth spelled basic_auth for this Caddy"), upgraded.changes[0].summary)
        XCTAssertTrue(try plan(CaddyVersion(2, 11, 7), caddyfile: try XCTUnwrap(latest.newContent)).changes.isEmpty, "idempotent per version")
    }
}
