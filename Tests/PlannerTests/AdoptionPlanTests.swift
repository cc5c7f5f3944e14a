import Caddyfile
import DesiredState
import Diagnostics
import HomeAssistant
import XCTest
@testable import Planner

/// The how-to's gateway planned with and without the opt-in: the plan shows `@ adopt` lines with
/// the diff, and says prune will remove them later; without it, the refusal says how to opt in.
final class AdoptionPlanTests: XCTestCase {
    static let exposure = """
        domain: mondomaine.ddnsfree.com
        services:
          homeassistant:
            host: "@"
            upstream: host.docker.internal:8123
            compose_service: homeassistant
            home_assistant: true

        """
    static let caddyfile = "mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:8123\n}\n"
    static let configuration = "default_config:\n\nhttp:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - 172.16.0.0/12\n    - ::1\n"
    static let compose = "services:\n  caddy:\n    image: caddy:latest\n  homeassistant:\n    image: ha\n    network_mode: host\n    depends_on: [caddy]\n"

    func plan(adopt: Bool) throws -> Plan {
        let state = try DesiredStateParser.parse(Array(Self.exposure.utf8), file: "exposure.yaml")
        var inputs = PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: ["homeassistant"]),
                                caddyfile: LiveFile(path: "Caddyfile", bytes: Array(Self.caddyfile.utf8)),
                                homeAssistant: HomeAssistantInput(configurationYAML: Array(Self.configuration.utf8), storageHTTP: nil),
                                composeFile: LiveFile(path: "docker-compose.yml", bytes: Array(Self.compose.utf8)))
        inputs.adopt = adopt
        return try Planner.plan(inputs)
    }

    func testWithoutTheOptInTheRefusalNamesTheLineAndTheFlag() {
        XCTAssertThrowsError(try plan(adopt: false)) { error in
            let diagnostics = (error as? DiagnosticList)?.diagnostics ?? []
            XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
            XCTAssertEqual(diagnostics.first?.position, SourcePosition(line: 1, column: 1))
            XCTAssertTrue(diagnostics.first?.hint?.contains("reconcile apply --adopt") == true, diagnostics.first?.hint ?? "")
        }
    }

    func testWithTheOptInThePlanShowsAdoptWithTheDiff() throws {
        let plan = try plan(adopt: true)
        let caddy = try XCTUnwrap(plan.targets.first { $0.kind == .caddyfile })
        XCTAssertEqual(caddy.changes.map(\.kind), [.adopt])
        XCTAssertEqual(caddy.changes.first?.lines, LineRange(first: 1, last: 3))
        XCTAssertTrue(caddy.changes.first?.reason.contains("prune will remove it") == true)
        XCTAssertTrue(caddy.writesFile)
        let homeAssistant = try XCTUnwrap(plan.targets.first { $0.kind == .homeAssistant })
        XCTAssertEqual(Set(homeAssistant.changes.map(\.kind)), [.adopt])
        XCTAssertTrue(homeAssistant.restarts.isEmpty, "adopting settings restarts nothing")
        XCTAssertFalse(homeAssistant.writesFile)
        let compose = try XCTUnwrap(plan.targets.first { $0.kind == .compose })
        XCTAssertEqual(compose.changes.map(\.kind), [.adopt])
        XCTAssertFalse(compose.writesFile)
        XCTAssertTrue(plan.ledger.compose.contains(service: "homeassistant", dependency: "caddy"))
        XCTAssertEqual(plan.ledger.homeAssistant.createdHTTPBlock, true)

        let text = PlanTextRenderer.render(plan, diff: true)
        XCTAssertTrue(text.contains("  = homeassistant  https://mondomaine.ddnsfree.com -> host.docker.internal:8123"), text)
        XCTAssertTrue(text.contains("-\treverse_proxy host.docker.internal:8123") || text.contains("+# managed by reconcile: homeassistant"), text)
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        XCTAssertTrue(json.contains(#""kind":"adopt""#), json)
    }
}
