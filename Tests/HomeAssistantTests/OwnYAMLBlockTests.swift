import Diagnostics
import Foundation
@testable import HomeAssistant
import XCTest

/// Storage mode: the `http:` block reconcile created before the migration goes once Home Assistant ignores
/// it (and on prune); a block the user wrote, or added to, stays with a warning naming 2027.2.0.
final class OwnYAMLBlockTests: XCTestCase {
    let created = HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "::1/128", "172.16.0.0/12"], useXForwardedForBefore: .absent,
                                      createdTrustedProxies: true, createdHTTPBlock: true)
    let ourBlock = "default_config:\n\nhttp:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - ::1\n    - 172.16.0.0/12\n"
    /// What the migration made of our block: stable holds our values.
    let migrated = #"{"version": 2, "minor_version": 3, "key": "http", "data": {"stable": {"use_x_forwarded_for": true, "trusted_proxies": ["127.0.0.1/32", "::1/128", "172.16.0.0/12"], "created_at": "2026-09-12T07:58:31.402117+00:00", "error": null, "error_message": null}, "pending": null, "yaml_migration_done": true}}"#

    func plan(yaml: String, storage: String? = nil, desired: ProxyTrustPolicy? = ProxyTrustPolicy(),
              ledger: HomeAssistantLedger) throws -> HomeAssistantEdit {
        let input = HomeAssistantInput(configurationYAML: Array(yaml.utf8), storageHTTP: Array((storage ?? migrated).utf8))
        let edit = try HomeAssistantPlanner.plan(input, desired: desired, ledger: ledger)
        Plan.assertIdempotent(input, edit, desired: desired)
        return edit
    }

    func testOurBlockIsRemovedOnceMigrated() throws {
        let edit = try plan(yaml: ourBlock, ledger: created)
        XCTAssertEqual(Plan.text(edit.newConfigurationYAML), "default_config:\n")
        XCTAssertNil(edit.newStorageHTTP, "stable already holds our values")
        XCTAssertEqual(edit.changes.map(\.description), ["configuration.yaml:3: http: remove the http: block reconcile added"])
        XCTAssertFalse(edit.needsRestart, "Home Assistant ignores the block: removing it needs no restart")
        XCTAssertFalse(edit.ledger.createdHTTPBlock)
        XCTAssertEqual(edit.ledger.addedTrustedProxies, created.addedTrustedProxies, "stable's entries stay ours")
        XCTAssertFalse(edit.warnings.contains { $0.contains("2027.2.0") })
    }

    func testPruneRemovesOurBlockAndOurStableEntries() throws {
        let edit = try plan(yaml: ourBlock, desired: nil, ledger: created)
        XCTAssertEqual(Plan.text(edit.newConfigurationYAML), "default_config:\n")
        let storage = String(decoding: try XCTUnwrap(edit.newStorageHTTP), as: UTF8.self)
        XCTAssertFalse(storage.contains("trusted_proxies") || storage.contains("use_x_forwarded_for"), storage)
        XCTAssertTrue(storage.contains(#""created_at": "2026-09-12T07:58:31.402117+00:00", "error": null"#), storage)
        XCTAssertEqual(edit.ledger, .empty)
    }

    func testABlockWithTheUsersSettingsStaysWithTheDate() throws {
        let added = ourBlock + "  server_port: 8123\n"
        let edit = try plan(yaml: added, ledger: created)
        XCTAssertNil(edit.newConfigurationYAML)
        let warning = try XCTUnwrap(edit.warnings.first { $0.contains("2027.2.0") })
        XCTAssertTrue(warning.hasPrefix("configuration.yaml:3: this http: block (reconcile created it before the migration, but it now holds settings of yours too)"), warning)
        XCTAssertTrue(edit.ledger.createdHTTPBlock)

        let theirs = try plan(yaml: ourBlock, ledger: HomeAssistantLedger(addedTrustedProxies: created.addedTrustedProxies))
        XCTAssertNil(theirs.newConfigurationYAML)
        XCTAssertTrue(theirs.warnings.contains { $0.hasPrefix("configuration.yaml:3: this http: block is ignored") && $0.contains("stops working in 2027.2.0") }, "\(theirs.warnings)")
    }

    /// An entry that is not ours (the user added one to our block) keeps the block.
    func testAProxyOfTheUsersKeepsTheBlock() throws {
        let edit = try plan(yaml: ourBlock + "    - 10.0.0.0/8\n", ledger: created)
        XCTAssertNil(edit.newConfigurationYAML)
        XCTAssertTrue(edit.ledger.createdHTTPBlock)
    }
}
