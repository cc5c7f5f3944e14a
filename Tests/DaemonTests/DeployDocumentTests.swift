import Daemon
import Foundation
import XCTest
@testable import Controller

/// deploy/README.md is what an owner installs and watches the daemon by: every `serve:` key, every field of
/// `/healthz` and every metric the daemon serves is in it, so none is learned only from the source.
final class DeployDocumentTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func document() throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent("deploy/README.md"), encoding: .utf8)
    }

    func testEveryServeKeyHasARowInTheServeTable() throws {
        let rows = try document().split(separator: "\n").filter { $0.hasPrefix("| `") }.map { $0.split(separator: "|").first ?? "" }
        for key in ServeFileSettings.table.keys {
            XCTAssertTrue(rows.contains { $0.contains("`\(key)`") }, "deploy/README.md's serve: table has no row for \(key)")
        }
    }

    func testEveryHealthzFieldAndMetricIsNamed() throws {
        let document = try document()
        let failed = CycleRecord(outcome: .failed, reasons: [.startup], started: Date(), duration: .seconds(1), appliedCommit: "abc",
                                 detail: "x", failure: .gitUnreachable)
        let health = HealthState()
        health.record(failed)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(health.json(running: false))) as? [String: Any])
        let last = try XCTUnwrap(object["last_reconcile"] as? [String: Any])
        for field in Array(object.keys) + Array(last.keys) {
            XCTAssertTrue(document.contains("`\(field)`"), "deploy/README.md does not name the /healthz field \(field)")
        }
        let metrics = DaemonMetrics()
        metrics.record(failed)
        let names = String(decoding: metrics.text(), as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        XCTAssertGreaterThanOrEqual(names.count, 6)
        for name in names {
            XCTAssertTrue(document.contains("`\(name)"), "deploy/README.md does not name the metric \(name)")
        }
    }
}
