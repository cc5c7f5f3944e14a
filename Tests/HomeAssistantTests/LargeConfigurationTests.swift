import Foundation
@testable import HomeAssistant
import BenchmarkFixtures
import XCTest

/// A real-looking configuration.yaml (packages, includes, secrets, anchors, comments in and around
/// http:, non-ASCII text before it), LF and CRLF: only the two settings' lines change.
final class LargeConfigurationTests: XCTestCase {
    let expectedProxies = ["192.168.1.0/24", "127.0.0.1", "::1", "172.16.0.0/12"]

    func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        let input = HomeAssistantInput(configurationYAML: bytes, storageHTTP: nil)
        let edit = try HomeAssistantPlanner.plan(input, desired: ProxyTrustPolicy(), ledger: .empty)
        let output = try XCTUnwrap(edit.newConfigurationYAML, file: file, line: line)
        Python.checkYAML(original: bytes, edited: output, flag: true, proxies: expectedProxies, file: file, line: line)
        LineDiff.assertOnlyHTTPBlockChanged(bytes, output, file: file, line: line)
        Plan.assertIdempotent(input, edit, desired: ProxyTrustPolicy(), file: file, line: line)
        XCTAssertEqual(edit.ledger.addedTrustedProxies, ["::1/128", "172.16.0.0/12"], file: file, line: line)
        return output
    }

    func testLargeConfigurationLF() throws {
        let bytes = try Fixtures.bytes("configuration-large.yaml")
        XCTAssertGreaterThan(LineDiff.lines(bytes).count, 300)
        let output = try check(bytes)
        let region = LineDiff.changedRegion(bytes, output)
        // From the flag's line (replaced) to the two proxy lines added after the hand-written entries
        // (the 4 lines in between unchanged): 5 input lines span 7 output lines.
        XCTAssertEqual(region.old.count, 5, "\(region)")
        XCTAssertEqual(region.new.count, 7, "\(region)")
        let newLines = LineDiff.lines(output)
        XCTAssertEqual(newLines[region.new.lowerBound], "  use_x_forwarded_for: true   # désactivé tant que le proxy n'est pas prêt")
        XCTAssertEqual(Array(newLines[(region.new.upperBound - 2)..<region.new.upperBound]), ["    - \"::1\"", "    - 172.16.0.0/12"])
    }

    func testLargeConfigurationCRLF() throws {
        let lf = String(decoding: try Fixtures.bytes("configuration-large.yaml"), as: UTF8.self)
        let bytes = Array(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let output = try check(bytes)
        // Every line ending of the output is still CRLF.
        for (index, byte) in output.enumerated() where byte == UInt8(ascii: "\n") {
            XCTAssertEqual(output[index - 1], UInt8(ascii: "\r"), "bare LF at byte \(index)")
        }
        // Two CRLF item lines added, "false" became "true": nothing else changed size.
        XCTAssertEqual(output.count - bytes.count, "    - \"::1\"\r\n    - 172.16.0.0/12\r\n".utf8.count - 1)
    }

    func testGeneratedTenThousandLines() throws {
        let text = HomeAssistantFixtures.largeConfiguration(lines: 10_000)
        XCTAssertEqual(text.split(separator: "\n", omittingEmptySubsequences: false).count - 1, 10_000)
        XCTAssertEqual(HomeAssistantFixtures.largeConfiguration(lines: 10_000), text, "deterministic")
        let bytes = Array(text.utf8)
        let input = HomeAssistantInput(configurationYAML: bytes, storageHTTP: nil)
        let start = Date()
        let edit = try HomeAssistantPlanner.plan(input, desired: ProxyTrustPolicy(), ledger: .empty)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 5, "planning 10,000 lines took \(elapsed)s")
        let output = try XCTUnwrap(edit.newConfigurationYAML)
        Python.checkYAML(original: bytes, edited: output, flag: true, proxies: ["192.168.1.0/24", "127.0.0.1", "::1", "172.16.0.0/12"])
        LineDiff.assertOnlyHTTPBlockChanged(bytes, output)
    }

    func testNonASCIIBeforeTheBlockDoesNotShiftTheEdit() throws {
        // Multi-byte characters on the same line as, and lines before, the values we replace.
        let text = "# café — ☀️ — 日本語\nname: \"Maison — été\"\nhttp:\n  ssl_profile: modern  # é\n  use_x_forwarded_for: off  # « non »\n"
        let plan = try Plan.yaml(text)
        XCTAssertEqual(Plan.text(plan.newConfigurationYAML), "# café — ☀️ — 日本語\nname: \"Maison — été\"\nhttp:\n  ssl_profile: modern  # é\n"
                       + "  use_x_forwarded_for: true  # « non »\n  trusted_proxies:\n    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n")
    }
}
