import XCTest
import DesiredState
import Caddyfile
import HomeAssistant
import Compose
@testable import Planner

final class PlannerTests: XCTestCase {
    func desired(_ services: [(String, String, String)]) throws -> DesiredState {
        var text = "domain: example.com\nservices:\n"
        for (name, host, upstream) in services { text += "  \(name):\n    host: \"\(host)\"\n    upstream: \(upstream)\n" }
        return try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
    }

    func plan(_ state: DesiredState, caddyfile: String?) throws -> Plan {
        try Planner.plan(PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                                    caddyfile: LiveFile(path: "Caddyfile", bytes: caddyfile.map { Array($0.utf8) }),
                                    homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                    composeFile: LiveFile(path: "compose.yml", bytes: nil)))
    }

    func testPlanIsIdempotentByConstruction() throws {
        let state = try desired([("app", "@", "h:1"), ("media", "media", "h:2")])
        let first = try plan(state, caddyfile: "{\n\tdebug\n}\n")
        let caddy = try XCTUnwrap(first.targets.first { $0.kind == .caddyfile })
        XCTAssertEqual(caddy.changes.map(\.kind), [.add, .add])
        XCTAssertEqual(caddy.changes.map(\.exposure), [.becomesPublic, .becomesPublic])
        let written = String(decoding: try XCTUnwrap(caddy.newContent), as: UTF8.self)
        let second = try plan(state, caddyfile: written)
        XCTAssertFalse(second.hasChanges)
        XCTAssertNil(second.targets.first { $0.kind == .caddyfile }?.newContent)
    }

    func testMissingCaddyfileIsCreatedWithAWarning() throws {
        let result = try plan(try desired([("app", "@", "h:1")]), caddyfile: nil)
        let caddy = try XCTUnwrap(result.targets.first { $0.kind == .caddyfile })
        XCTAssertTrue(caddy.warnings.contains { $0.description.contains("does not exist") })
        XCTAssertTrue(caddy.writesFile)
    }

    func testUpstreamChangeIsDescribed() throws {
        let old = try plan(try desired([("app", "app", "h:1")]), caddyfile: "")
        let written = String(decoding: try XCTUnwrap(old.targets[0].newContent), as: UTF8.self)
        let moved = try plan(try desired([("app", "app", "h:2")]), caddyfile: written)
        let change = try XCTUnwrap(moved.targets[0].changes.first)
        XCTAssertEqual(change.kind, .change)
        XCTAssertTrue(change.summary.contains("upstream was h:1"), change.summary)
        XCTAssertNil(change.exposure, "same host: nothing new on the internet")
        XCTAssertFalse(change.reason.contains("by hand"))
    }

    func testRemovalStopsExposure() throws {
        let old = try plan(try desired([("app", "app", "h:1")]), caddyfile: "")
        let written = String(decoding: try XCTUnwrap(old.targets[0].newContent), as: UTF8.self)
        let removed = try plan(try desired([]), caddyfile: written)
        XCTAssertEqual(removed.targets[0].changes.map(\.kind), [.remove])
        XCTAssertEqual(removed.targets[0].changes.first?.exposure, .stopsBeingPublic)
        XCTAssertEqual(removed.targets[0].newContent, [])
    }

    func testTextRendererMarksNewPublicHostsAndCounts() throws {
        let result = try plan(try desired([("app", "@", "h:1")]), caddyfile: "")
        let text = PlanTextRenderer.render(result)
        XCTAssertTrue(text.contains("+ app  https://example.com -> h:1"), text)
        XCTAssertTrue(text.contains(">>> NEW ON THE INTERNET: app"), text)
        XCTAssertTrue(text.contains("1 change pending; 1 host becomes reachable from the internet."), text)
        XCTAssertEqual(text, PlanTextRenderer.render(result), "same plan, same text")
    }

    func testBrokenLiveCaddyfileIsAnInputErrorWithPosition() throws {
        XCTAssertThrowsError(try plan(try desired([("app", "@", "h:1")]), caddyfile: "a.com {\n\t\"unterminated\n")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("Caddyfile:2:2"), text)
        }
    }
}

final class ProxyTrustWarningTests: XCTestCase {
    func plan(proxyAddress: String) throws -> TargetPlan {
        let text = "domain: example.com\nservices:\n  ha:\n    host: \"@\"\n    upstream: host.docker.internal:8123\n    home_assistant: true\n"
        let state = try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
        let caddy = ComposeContainer(id: "c1", name: "mapio_caddy_1", service: "caddy", running: true, status: "running",
                                     configHash: "h", addresses: [proxyAddress])
        let inputs = PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                                caddyfile: LiveFile(path: "Caddyfile", bytes: []),
                                homeAssistant: HomeAssistantInput(configurationYAML: Array("default_config:\n".utf8), storageHTTP: nil),
                                composeFile: LiveFile(path: "compose.yml", bytes: nil),
                                composeRuntime: ComposeRuntimeState(containers: [caddy], definitionHashes: [:]))
        return try XCTUnwrap(try Planner.plan(inputs).targets.first { $0.kind == .homeAssistant })
    }

    func testAProxyOutsideTheTrustedNetworksIsNamedWithTheNetworkToAdd() throws {
        let target = try plan(proxyAddress: "192.168.144.2/20")
        XCTAssertTrue(target.warnings.contains { $0.description.contains("192.168.144.2") && $0.description.contains("192.168.144.0/20") }, "\(target.warnings)")
    }

    func testAProxyInsideTheDefaultRangeIsQuiet() throws {
        let target = try plan(proxyAddress: "172.18.0.3/16")
        XCTAssertFalse(target.warnings.contains { $0.description.contains("trusted_proxies does not cover") }, "\(target.warnings)")
    }
}
