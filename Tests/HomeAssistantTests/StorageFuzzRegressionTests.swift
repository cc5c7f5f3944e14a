import Foundation
import XCTest
import HomeAssistant

/// Inputs the storage fuzz target found (Fuzz/Regressions/fuzz-storage-json/), with the property it checks.
final class StorageFuzzRegressionTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions/fuzz-storage-json")

    /// The user's own (empty) `trusted_proxies` in data.pending keeps the `use_x_forwarded_for` we added
    /// there after a prune (Home Assistant wants both together): the documented exception to "prune gives
    /// the bytes back". What prune leaves is stable, and what apply wrote is idempotent.
    func testUsersEmptyPendingTrustedProxiesKeepsOurFlagAfterPruneAndEverythingSettles() throws {
        let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent("user-empty-pending-trusted-proxies.json")))
        let yaml = Array("homeassistant:\n".utf8)
        let edit = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: yaml, storageHTTP: bytes), desired: ProxyTrustPolicy(), ledger: .empty)
        XCTAssertEqual(edit.mode, .storage)
        let written = try XCTUnwrap(edit.newStorageHTTP)
        let again = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: yaml, storageHTTP: written), desired: ProxyTrustPolicy(), ledger: edit.ledger)
        XCTAssertNil(again.newStorageHTTP, "idempotent")
        let pruned = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: yaml, storageHTTP: written), desired: nil, ledger: edit.ledger)
        let after = String(decoding: try XCTUnwrap(pruned.newStorageHTTP), as: UTF8.self)
        XCTAssertTrue(after.contains("\"pending\":{\"trusted_proxies\":[],\"use_x_forwarded_for\":true}"), after)
        let settled = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: yaml, storageHTTP: Array(after.utf8)), desired: nil, ledger: pruned.ledger)
        XCTAssertNil(settled.newStorageHTTP, "prune is stable")
    }
}
