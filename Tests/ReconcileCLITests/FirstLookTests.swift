import Foundation
import TestSupport
import XCTest

/// The first thing a newcomer runs: the bundled example's plan on a machine without Docker. It reads at a
/// glance (one line for each thing not reached, one line per note); `--verbose` gives the whole explanation.
final class FirstLookTests: XCTestCase {
    /// A plan line longer than this is a paragraph, not something read at a glance.
    static let glance = 140

    func plan(_ options: [String]) throws -> RunResult {
        let repo = packageRoot.appendingPathComponent("example-repo").path
        let root = packageRoot.appendingPathComponent("example-gateway").path
        // No engine: a socket that does not exist, never the machine's own.
        return try runProcess(try reconcileBinary(), ["--plan", "--repo", repo, "--root", root] + options,
                              environment: ["DOCKER_HOST": "unix:///nonexistent/reconcile-first-look.sock"])
    }

    func testTheBundledExamplesPlanReadsAtAGlanceAndVerboseExplains() throws {
        let short = try plan([])
        XCTAssertEqual(short.status, 2, short.output)
        // The header quotes the commit's subject, whatever its length; everything below is the plan's own words.
        for line in short.stdout.split(separator: "\n").dropFirst() {
            XCTAssertLessThanOrEqual(line.count, Self.glance, "a paragraph in the plan:\n\(line)")
        }
        XCTAssertTrue(short.stdout.contains("  Docker engine: not reached; the plan covers the file\n"), short.stdout)
        XCTAssertTrue(short.stdout.contains("  note: Home Assistant 2026.8.0+ moves http: into .storage/http at its first start"), short.stdout)
        XCTAssertFalse(short.stdout.contains("core#182040"), "the migration's details are --verbose's")
        XCTAssertTrue(short.stdout.contains("--verbose"), "the plan says where the rest is")

        let verbose = try plan(["--verbose"])
        XCTAssertEqual(verbose.status, 2, verbose.output)
        XCTAssertTrue(verbose.stdout.contains("core#182040"), verbose.stdout)
        XCTAssertTrue(verbose.stdout.contains("the engine's state was not read ("), verbose.stdout)
        let caddy = try XCTUnwrap(verbose.stdout.split(separator: "\n").first { $0.hasPrefix("  Caddy: ") })
        let glanceCaddy = try XCTUnwrap(short.stdout.split(separator: "\n").first { $0.hasPrefix("  Caddy: ") })
        XCTAssertGreaterThan(caddy.count, glanceCaddy.count, "--verbose says how Caddy is reached, and why")

        let json = try plan(["--json"])
        XCTAssertTrue(json.stdout.contains("core#182040"), "--json carries the whole note")
    }
}
