import XCTest
import DesiredState
import HomeAssistant
@testable import Planner

/// The observer hands the planner the Caddyfile already parsed (on a thread of its own); the planner must
/// use that parse only for the very bytes it plans from.
final class ParsedCaddyfileTests: XCTestCase {
    let live = LiveFile(path: "Caddyfile", bytes: Array("{\n\tdebug\n}\n\nhand.example.com {\n\trespond \"hi\"\n}\n".utf8))

    func inputs(_ caddyfile: LiveFile) throws -> PlanInputs {
        let text = "domain: example.com\nservices:\n  app:\n    host: app\n    upstream: h:1\n"
        let state = try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
        return PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                          caddyfile: caddyfile, homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                          composeFile: LiveFile(path: "compose.yml", bytes: nil))
    }

    func testTheObserversParseGivesTheSamePlanAsParsingWhilePlanning() throws {
        var given = try inputs(live)
        let plain = try Planner.plan(given)
        given.parsedCaddyfile = ParsedCaddyfile(live)
        let parsed = try Planner.plan(given)
        XCTAssertEqual(parsed.target(.caddyfile)?.newContent, plain.target(.caddyfile)?.newContent)
        XCTAssertEqual(parsed.target(.caddyfile)?.changes, plain.target(.caddyfile)?.changes)
    }

    /// A parse of other bytes (the file was replaced after it was parsed) is ignored: here it is of a file
    /// Caddy would refuse, and the plan is still made from the file it was given.
    func testAParseOfOtherBytesIsNotUsed() throws {
        var given = try inputs(live)
        given.parsedCaddyfile = ParsedCaddyfile(LiveFile(path: "Caddyfile", bytes: Array("a.example.com {\n".utf8)))
        let plan = try Planner.plan(given)
        let written = String(decoding: try XCTUnwrap(plan.target(.caddyfile)?.newContent), as: UTF8.self)
        XCTAssertTrue(written.hasPrefix("{\n\tdebug\n}\n\nhand.example.com {\n\trespond \"hi\"\n}\n"), written)
        XCTAssertTrue(written.contains("app.example.com {"))

        given.parsedCaddyfile = ParsedCaddyfile(given.caddyfile)
        given.caddyfile = LiveFile(path: "Caddyfile", bytes: Array("a.example.com {\n".utf8))
        XCTAssertThrowsError(try Planner.plan(given), "the replaced file is the one planned from, and it does not parse")
    }
}
