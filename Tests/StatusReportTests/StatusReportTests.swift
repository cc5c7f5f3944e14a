import Diagnostics
import Foundation
import XCTest
@testable import StatusReport

final class StatusReportTests: XCTestCase {
    static let commit = StatusCommit(id: "0123456789abcdef0123456789abcdef01234567", subject: "Expose grafana")

    static func sample(at seconds: Int64 = 1_700_000_000) -> StatusReport {
        StatusReport(
            gateway: "gw-01",
            source: StatusSource(repository: "https://git.example.com/home/exposure.git", branch: "main", file: "exposure.yaml"),
            desired: Self.commit, lastApplied: StatusCommit(id: String(repeating: "f", count: 40), subject: "Older"),
            outcome: .failed, error: "cannot write /usr/local/caddy/Caddyfile: permission denied", domain: "example.com",
            targets: [TargetStatus(name: "Caddyfile", path: "/usr/local/caddy/Caddyfile", state: .failed, changes: 2),
                      TargetStatus(name: "Home Assistant", path: "/ha/configuration.yaml", state: .unmanaged, note: "storage mode: YAML ignored")],
            services: [
                ServiceStatus(name: "homeassistant", address: "https://example.com", upstream: "host.docker.internal:8123", state: .exposed),
                ServiceStatus(name: "jellyfin", address: "https://jellyfin.example.com", upstream: "host.docker.internal:8096", state: .drifted,
                              reason: "drift: lines 4-6 were edited by hand"),
                ServiceStatus(name: "grafana", address: "https://grafana.example.com", upstream: "host.docker.internal:3000", state: .failed,
                              reason: "+ https://grafana.example.com -> host.docker.internal:3000: not applied", published: false),
                ServiceStatus(name: "wiki", address: "https://wiki.example.com", upstream: nil, state: .changed, reason: "removed", published: false),
            ],
            warnings: ["Caddyfile: ACME HTTP challenge cannot succeed: external port 8080 is not 80"],
            checkedAt: StatusTime(secondsSince1970: seconds))
    }

    func testMarkdownHasTheHeaderTablesAndWarnings() {
        let text = StatusMarkdown.render(Self.sample())
        XCTAssertTrue(text.hasPrefix("# Gateway gw-01: failed\n"), text)
        XCTAssertTrue(text.contains("| Desired commit | `0123456789ab` Expose grafana |"), text)
        XCTAssertTrue(text.contains("| Last applied | `ffffffffffff` Older |"), text)
        XCTAssertTrue(text.contains("| Checked at | 2023-11-14T22:13:20Z |"), text)
        XCTAssertTrue(text.contains("(behind: the applied commit is not the desired one)"), text)
        XCTAssertTrue(text.contains("| Service | State | Address | Upstream | Reason |\n|---|---|---|---|---|\n"), text)
        XCTAssertTrue(text.contains("| jellyfin | drifted | https://jellyfin.example.com | host.docker.internal:8096 | drift: lines 4-6 were edited by hand |"), text)
        XCTAssertTrue(text.contains("| Home Assistant | not managed | 0 | `/ha/configuration.yaml` | storage mode: YAML ignored |"), text)
        XCTAssertTrue(text.contains("## Warnings\n\n- Caddyfile: ACME HTTP challenge"), text)
        XCTAssertTrue(text.contains("## Error\n\n```text\ncannot write /usr/local/caddy/Caddyfile: permission denied\n```\n"), text)
    }

    func testMermaidDiagramGoesFromTheInternetThroughCaddyToEachLiveService() {
        let diagram = MermaidDiagram.render(Self.sample())
        let lines = diagram.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "flowchart LR")
        XCTAssertTrue(lines.contains("    internet -->|\"443\"| caddy"), diagram)
        XCTAssertTrue(lines.contains("    caddy -->|\"example.com\"| s1"), diagram)
        XCTAssertTrue(lines.contains("    caddy -->|\"jellyfin.example.com\"| s2"), diagram)
        XCTAssertTrue(lines.contains("    caddy -.->|\"grafana.example.com\"| s3"), "a failed, unpublished service hangs by a dotted edge: \(diagram)")
        XCTAssertFalse(diagram.contains("wiki"), "a removed service is not drawn")
        XCTAssertTrue(lines.contains("    class s1 exposed") && lines.contains("    class s2 drifted") && lines.contains("    class s3 failed"), diagram)
        XCTAssertTrue(StatusMarkdown.render(Self.sample()).contains("```mermaid\n" + diagram + "```\n"), "embedded as a mermaid block")

        var empty = Self.sample()
        empty.services = []
        XCTAssertTrue(MermaidDiagram.render(empty).contains("no service exposed"))
    }

    func testUserTextCannotBreakTheTableTheFenceOrTheDiagram() {
        var report = Self.sample()
        report.services[1].reason = "a | b <script>alert(1)</script>\nsecond line"
        report.services[1].name = "jelly\"fin"
        report.desired = StatusCommit(id: String(repeating: "1", count: 40), subject: "use `code` | pipes")
        report.error = "before\n```\nafter"
        let text = StatusMarkdown.render(report)
        XCTAssertTrue(text.contains("a \\| b &lt;script&gt;alert(1)&lt;/script&gt; second line"), text)
        XCTAssertTrue(text.contains("use `code` \\| pipes"), text)
        XCTAssertTrue(text.contains("````text\nbefore\n```\nafter\n````\n"), "the fence outgrows the backticks inside: \(text)")
        XCTAssertTrue(MermaidDiagram.render(report).contains("jelly#quot;fin"), MermaidDiagram.render(report))
        XCTAssertFalse(text.contains("<script>"))
    }

    func testJSONIsStableSortedAndRoundTrips() throws {
        let bytes = StatusJSON.render(Self.sample())
        XCTAssertEqual(bytes, StatusJSON.render(Self.sample()), "same report, same bytes")
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("\"checked_at\" : \"2023-11-14T22:13:20Z\""), text)
        XCTAssertTrue(text.contains("\"last_applied\""), text)
        XCTAssertTrue(text.contains("https://git.example.com/home/exposure.git"), "slashes are not escaped: \(text)")
        XCTAssertTrue(text.hasSuffix("}\n"))
        let keys = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]).keys.sorted()
        XCTAssertEqual(keys, ["checked_at", "desired", "domain", "error", "gateway", "last_applied", "outcome", "schema", "services",
                              "source", "targets", "warnings"])
        XCTAssertLessThan(text.range(of: "\"checked_at\"")!.lowerBound, text.range(of: "\"desired\"")!.lowerBound, "keys are sorted")
        XCTAssertEqual(try StatusJSON.decode(bytes), Self.sample())
        XCTAssertThrowsError(try StatusJSON.decode(Array("{\"schema\": 1}".utf8)))
    }

    func testUnchangedApartFromTimestampsOnly() {
        let published = StatusFiles(Self.sample(at: 1_000))
        XCTAssertTrue(StatusComparison.isUnchanged(Self.sample(at: 999_999), publishedMarkdown: published.markdown, publishedJSON: published.json))
        var changed = Self.sample(at: 999_999)
        changed.services[0].state = .failed
        XCTAssertFalse(StatusComparison.isUnchanged(changed, publishedMarkdown: published.markdown, publishedJSON: published.json))
        var moved = Self.sample(at: 999_999)
        moved.desired = StatusCommit(id: String(repeating: "2", count: 40), subject: "Next")
        XCTAssertFalse(StatusComparison.isUnchanged(moved, publishedMarkdown: published.markdown, publishedJSON: published.json))
        XCTAssertFalse(StatusComparison.isUnchanged(Self.sample(), publishedMarkdown: published.markdown + Array("edited".utf8), publishedJSON: published.json),
                       "a hand-edited status.md is restored")
        XCTAssertFalse(StatusComparison.isUnchanged(Self.sample(), publishedMarkdown: published.markdown, publishedJSON: Array("not json".utf8)))
        XCTAssertFalse(StatusComparison.isUnchanged(Self.sample(), publishedMarkdown: nil, publishedJSON: nil), "nothing published yet")
    }

    func testTimeIsISO8601UTCBothWays() {
        XCTAssertEqual(StatusTime(secondsSince1970: 0).description, "1970-01-01T00:00:00Z")
        XCTAssertEqual(StatusTime(secondsSince1970: 1_700_000_000).description, "2023-11-14T22:13:20Z")
        XCTAssertEqual(StatusTime(secondsSince1970: 1_709_164_800).description, "2024-02-29T00:00:00Z")
        XCTAssertEqual(StatusTime(secondsSince1970: 4_102_444_799).description, "2099-12-31T23:59:59Z")
        XCTAssertEqual(StatusTime(secondsSince1970: -1).description, "1969-12-31T23:59:59Z")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_000_000_000...5_000_000_000, using: &generator)
            XCTAssertEqual(StatusTime(iso8601: StatusTime(secondsSince1970: seconds).description)?.secondsSince1970, seconds)
        }
        let formatter = ISO8601DateFormatter()
        for seconds in stride(from: Int64(0), to: 4_000_000_000, by: 86_399 * 37) {
            XCTAssertEqual(StatusTime(secondsSince1970: seconds).description,
                           formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))), "agrees with Foundation")
        }
        for bad in ["", "2024-13-01T00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+01:00", "2024-01-01T24:00:00Z"] {
            XCTAssertNil(StatusTime(iso8601: bad), bad)
        }
    }

    func testFleetTableHasOneLinePerGatewayThenWhatFailed() {
        var ok = Self.sample()
        ok.gateway = "gw-02"
        ok.outcome = .inSync
        ok.error = nil
        ok.lastApplied = ok.desired
        let text = FleetStatus.render([Self.sample(), ok])
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("GATEWAY  OUTCOME"), text)
        XCTAssertTrue(lines[1].hasPrefix("gw-01    failed   0123456789ab  ffffffffffff  1 exposed, 1 changed, 1 drifted, 1 failed"), text)
        XCTAssertTrue(lines[2].hasPrefix("gw-02    in sync  0123456789ab  0123456789ab"), text)
        XCTAssertTrue(text.contains("gw-01: cannot write /usr/local/caddy/Caddyfile: permission denied"), text)
        XCTAssertEqual(FleetStatus.render([]), "No gateway has published a status yet.\n")
    }

    /// Issue #23: `status --all` printed what another gateway wrote to the shared branch raw, escape sequences
    /// included (a report could retitle the terminal, clear the screen or hide lines).
    func testTheFleetTablePrintsNoTerminalControlCharacters() {
        var hostile = Self.sample()
        hostile.gateway = "gw-03\u{1B}]0;pwned\u{07}"
        hostile.error = "\u{1B}[2J\u{1B}[Hall good\u{9B}31m\u{202E}txt.exe"
        let text = FleetStatus.render([hostile])
        let unsafe = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" }
        XCTAssertEqual(unsafe.count, 0, text.debugDescription)
        XCTAssertTrue(text.contains("gw-03\\x1b]0;pwned\\x07: \\x1b[2J\\x1b[Hall good\\x9b31m\\u{202e}txt.exe"), text.debugDescription)
        XCTAssertEqual(TerminalText.escaped("plain café ✓"), "plain café ✓")
    }
}
