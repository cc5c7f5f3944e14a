import Diagnostics
import XCTest
@testable import StatusReport

/// `reconcile status` on a terminal: the report as text. Markdown's escapes (`-&gt;`, `\|`), its tables and
/// the Mermaid source belong to status.md, not to a terminal.
final class StatusTextTests: XCTestCase {
    func testTheReportReadsAsTextWithWhatWasWrittenLiterally() {
        let text = StatusText.render(StatusReportTests.sample())
        XCTAssertTrue(text.hasPrefix("Gateway gw-01: failed\n"), text)
        XCTAssertTrue(text.contains("  Desired commit  0123456789ab Expose grafana\n"), text)
        XCTAssertTrue(text.contains("(behind: the applied commit is not the desired one)"), text)
        XCTAssertTrue(text.contains("+ https://grafana.example.com -> host.docker.internal:3000: not applied"), text)
        XCTAssertTrue(text.contains("\nError\n  cannot write /usr/local/caddy/Caddyfile: permission denied\n"), text)
        XCTAssertTrue(text.contains("\nWarnings\n  - Caddyfile: ACME HTTP challenge"), text)
        let jellyfin = text.split(separator: "\n").first { $0.contains("jellyfin") } ?? ""
        XCTAssertTrue(jellyfin.hasPrefix("  jellyfin") && jellyfin.contains("drifted") && jellyfin.contains("host.docker.internal:8096"), String(jellyfin))
        XCTAssertFalse(text.contains(" \n"), "no trailing spaces after an empty last column:\n\(text)")
        for markup in ["&gt;", "&lt;", "|", "```", "mermaid", "# "] {
            XCTAssertFalse(text.contains(markup), "\(markup) in\n\(text)")
        }
    }

    /// What others wrote (a commit subject, an error) is printed as it is, and never as terminal commands.
    func testUserTextIsLiteralAndCannotDriveTheTerminal() {
        var report = StatusReportTests.sample()
        report.desired = StatusCommit(id: String(repeating: "a", count: 40), subject: "a <b> | c \u{1B}]0;owned\u{07}")
        report.error = "line one\nline two \u{1B}[2J"
        let text = StatusText.render(report)
        XCTAssertTrue(text.contains("a <b> | c \\x1b]0;owned\\x07"), text)
        XCTAssertTrue(text.contains("  line one\n  line two \\x1b[2J\n"), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, text)
    }
}
