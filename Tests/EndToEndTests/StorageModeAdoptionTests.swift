import Foundation
import TestSupport
import XCTest

/// The how-to's hand-written `http:` block after Home Assistant 2026.8 migrated it into `.storage/http`'s
/// `data.stable`, through the real executable: warned about (code `adoptable`) without the opt-in, adopted
/// with `--adopt` without a byte of the file changing (so without stopping Home Assistant), then pruned
/// like reconcile's own once Home Assistant leaves the desired state.
final class StorageModeAdoptionTests: XCTestCase {
    func testAdoptedWithoutAWriteThenPruned() throws {
        let box = try Sandbox()
        let storage = box.gateway.appendingPathComponent("usr/local/homeassistant/.storage/http")
        try FileManager.default.createDirectory(at: storage.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fixture = String(decoding: try Data(contentsOf: packageRoot.appendingPathComponent("Tests/HomeAssistantTests/Fixtures/storage-http-2.3.json")), as: UTF8.self)
        let migrated = Data(fixture.replacingOccurrences(of: "\"use_x_forwarded_for\": false", with: "\"use_x_forwarded_for\": true")
            .replacingOccurrences(of: "        \"192.168.1.0/24\"\n", with: "        \"127.0.0.1/32\",\n        \"172.16.0.0/12\",\n        \"::1/128\"\n").utf8)
        try migrated.write(to: storage)
        let yaml = try box.read(box.configurationYAML)
        let ledgerFile = box.stateDir.appendingPathComponent("ledger.json")

        // Without the opt-in: the settings stay the user's, and the plan says how to adopt them.
        let plan = try box.reconcile(["--plan", "--json"])
        let targets = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])?["targets"] as? [[String: Any]],
                                    plan.stdout + plan.stderr)
        let warnings = try XCTUnwrap(targets.first { $0["kind"] as? String == "home_assistant" }?["warnings"] as? [[String: Any]], "\(targets)")
        let adoptable = try XCTUnwrap(warnings.first { $0["code"] as? String == "adoptable" }, "\(warnings)")
        XCTAssertEqual(adoptable["file"] as? String, storage.path)
        XCTAssertEqual(adoptable["line"] as? Int, 11)
        XCTAssertTrue((adoptable["message"] as? String ?? "").contains("data.stable at lines 11, 13, 14, 15 were written by hand"), "\(adoptable)")
        XCTAssertTrue((adoptable["hint"] as? String ?? "").contains("reconcile apply --adopt"), "\(adoptable)")
        let text = try box.reconcile(["--plan"])
        XCTAssertTrue(text.stdout.contains("warning: \(storage.path):11:1: the proxy-trust settings in data.stable at lines 11, 13, 14, 15 were written by hand"), text.stdout)
        let first = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertEqual(try box.read(storage), migrated, "nothing of the user's is written")

        // With it: `= adopt`, no stop of Home Assistant in the program, no write, and no --ha-stopped needed.
        let adoptPlan = try box.reconcile(["--plan", "--adopt"])
        XCTAssertEqual(adoptPlan.status, 2, adoptPlan.output)
        XCTAssertTrue(adoptPlan.stdout.contains("= http  adopt use_x_forwarded_for: true (data.stable, line 11)"), adoptPlan.stdout)
        XCTAssertTrue(adoptPlan.stdout.contains("= http  adopt trusted_proxies entry 172.16.0.0/12 (data.stable, line 14)"), adoptPlan.stdout)
        let json = try box.reconcile(["--plan", "--json", "--adopt"])
        let program = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["program"] as? [[String: Any]])
        XCTAssertFalse(program.contains { ($0["action"] as? String ?? "").contains("home_assistant") }, "\(program)")
        let apply = try box.reconcile(["apply", "--no-runtime", "--adopt"])
        XCTAssertEqual(apply.status, 0, apply.output)
        XCTAssertEqual(try box.read(storage), migrated, "adoption leaves .storage/http byte for byte")
        XCTAssertEqual(try box.read(box.configurationYAML), yaml)
        let ledger = String(decoding: try box.read(ledgerFile), as: UTF8.self)
        XCTAssertTrue(ledger.contains("172.16.0.0\\/12") || ledger.contains("172.16.0.0/12"), ledger)
        XCTAssertTrue(ledger.contains("useXForwardedForBefore"), ledger)
        let again = try box.reconcile(["--plan"])
        XCTAssertTrue(again.stdout.contains("No changes"), again.output)
        XCTAssertFalse(again.output.contains("written by hand"), again.output)

        // Home Assistant leaves the desired state: prune removes what was adopted, with Home Assistant stopped.
        let desired = String(decoding: try box.read(box.repo.appendingPathComponent("exposure.yaml")), as: UTF8.self)
        let withoutHA = desired.components(separatedBy: "  homeassistant:\n")[0] + "  jellyfin:\n" + desired.components(separatedBy: "  jellyfin:\n")[1]
        try box.writeDesired(withoutHA)
        let refused = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertEqual(try box.read(storage), migrated)
        let prune = try box.reconcile(["apply", "--no-runtime", "--ha-stopped"])
        XCTAssertEqual(prune.status, 0, prune.output)
        let pruned = String(decoding: try box.read(storage), as: UTF8.self)
        XCTAssertFalse(pruned.contains("use_x_forwarded_for") || pruned.contains("trusted_proxies"), pruned)
        XCTAssertTrue(pruned.contains("\"created_at\": \"2026-09-12T07:58:31.402117+00:00\""), pruned)
        XCTAssertEqual(try box.read(box.configurationYAML), yaml)
    }
}
