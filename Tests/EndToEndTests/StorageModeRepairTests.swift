import Foundation
import TestSupport
import XCTest

/// The core#182040 state, repaired by the real `reconcile` executable: `data.stable` holds `172.16.0.0/32`
/// (the migration lost the /12's mask), and the correct pending reverted with `"error": "not_promoted"`.
final class StorageModeRepairTests: XCTestCase {
    /// The user's own block (it differs from stable by login_attempts_threshold, which is why the migration
    /// put it in pending); reconcile had added its two settings to it before the migration.
    let userBlock = "\nhttp:\n  server_port: 8123\n  login_attempts_threshold: 5\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - 172.16.0.0/12\n    - ::1\n"
    let ledger = #"{"home_assistant": {"addedTrustedProxies": ["127.0.0.1/32", "::1/128", "172.16.0.0/12"], "useXForwardedForBefore": "notTrue"}}"#

    func testApplyRepairsTheLostMaskAndNothingElse() throws {
        let box = try Sandbox()
        let storage = box.gateway.appendingPathComponent("usr/local/homeassistant/.storage/http")
        try FileManager.default.createDirectory(at: storage.deletingLastPathComponent(), withIntermediateDirectories: true)
        let corrupted = try Data(contentsOf: packageRoot.appendingPathComponent("Tests/HomeAssistantTests/Fixtures/storage-http-182040.json"))
        try corrupted.write(to: storage)
        let yaml = try box.read(box.configurationYAML) + Data(userBlock.utf8)
        try yaml.write(to: box.configurationYAML)
        try FileManager.default.createDirectory(at: box.stateDir, withIntermediateDirectories: true)
        try Data(ledger.utf8).write(to: box.stateDir.appendingPathComponent("ledger.json"))
        let yamlLine = String(decoding: yaml, as: UTF8.self).components(separatedBy: "\n").firstIndex(of: "    - 172.16.0.0/12")! + 1

        // The plan explains it (in full with --verbose).
        let plan = try box.reconcile(["--plan", "--verbose"])
        XCTAssertEqual(plan.status, 2, plan.stderr)
        let out = plan.stdout
        XCTAssertTrue(out.contains("Home Assistant  \(storage.path)"), out)
        XCTAssertTrue(out.contains("storage mode: \(storage.path) (version 2.3) has yaml_migration_done: true, so Home Assistant (2026.8.0 or later)"), out)
        XCTAssertTrue(out.contains("~ trusted_proxies  repair 172.16.0.0/32 → 172.16.0.0/12 (data.stable, line 14)"), out)
        XCTAssertTrue(out.contains("      Home Assistant's move of http: into storage lost this entry's mask (core#182040); data.pending (failed: not_promoted) and \(box.configurationYAML.path):\(yamlLine) hold 172.16.0.0/12\n"), out)
        XCTAssertTrue(out.contains("note: \(storage.path) holds a pending config that failed (error: not_promoted): Home Assistant never applies it again"), out)
        XCTAssertTrue(out.contains("stops working in 2027.2.0"), out)
        XCTAssertFalse(out.contains("trust 172.16.0.0/12"), "replaced, not appended: \(out)")
        XCTAssertTrue(out.contains("stop it, read the file again (planning again if it changed), write data.stable, start it"), out)
        // With an access token the plan names Home Assistant's own trial instead.
        let tokenFile = box.root.appendingPathComponent("ha-token")
        try Data("token\n".utf8).write(to: tokenFile)
        let withToken = try box.reconcile(["--plan", "--ha-token-file", tokenFile.path])
        XCTAssertTrue(withToken.stdout.contains("through Home Assistant's own trial: http/config/configure"), withToken.stdout)
        XCTAssertFalse(withToken.stdout.contains("token\n"))

        // Without a way to stop Home Assistant, and without the user saying it is stopped: refused, nothing written.
        let refused = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.output.contains("only while Home Assistant is stopped") && refused.output.contains("--ha-stopped"), refused.output)
        XCTAssertEqual(try box.read(storage), corrupted)

        let apply = try box.reconcile(["apply", "--no-runtime", "--ha-stopped"])
        XCTAssertEqual(apply.status, 0, apply.output)
        XCTAssertTrue(apply.stdout.contains("homeassistant"), apply.stdout)
        // stable trusts the /12 and no longer the /32; every other byte as it was; the failed pending as it was.
        let text = String(decoding: corrupted, as: UTF8.self)
        let expected = text.replacingCharacters(in: text.range(of: "\"172.16.0.0/32\"")!, with: "\"172.16.0.0/12\"")
        XCTAssertEqual(String(decoding: try box.read(storage), as: UTF8.self), expected)
        XCTAssertFalse(expected.contains("172.16.0.0/32"))
        XCTAssertTrue(expected.contains("\"error\": \"not_promoted\""))
        XCTAssertEqual(try box.read(box.configurationYAML), yaml, "configuration.yaml untouched")

        let again = try box.reconcile(["--plan"])
        XCTAssertFalse(again.stdout.contains("172.16.0.0/32"), again.stdout)
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)
    }
}
