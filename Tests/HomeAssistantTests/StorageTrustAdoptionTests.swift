import Foundation
@testable import HomeAssistant
import XCTest

/// Storage mode: the how-to's hand-written `http:` block, migrated by Home Assistant 2026.8 into
/// `.storage/http`'s `data.stable`. Adopted into the ledger only with the opt-in, without a byte of the
/// file changing; adopted, prune removes it like settings reconcile added. Without it, it is the user's.
final class StorageTrustAdoptionTests: XCTestCase {
    /// The 2.3 fixture with the how-to's values in stable (lines 11 and 13-15), as the migration writes them.
    static func migratedHowTo(extra: String = "") throws -> [UInt8] {
        let text = String(decoding: try Fixtures.bytes("storage-http-2.3.json"), as: UTF8.self)
            .replacingOccurrences(of: "\"use_x_forwarded_for\": false", with: "\"use_x_forwarded_for\": true")
            .replacingOccurrences(of: "        \"192.168.1.0/24\"\n",
                                  with: "        \"127.0.0.1/32\",\n        \"172.16.0.0/12\",\n        \"::1/128\"\(extra)\n")
        return Array(text.utf8)
    }

    static let adoptedLedger = HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "172.16.0.0/12", "::1/128"],
                                                   useXForwardedForBefore: .absent, createdTrustedProxies: true)

    func plan(_ storage: [UInt8], yaml: String? = nil, desired: ProxyTrustPolicy? = ProxyTrustPolicy(),
              ledger: HomeAssistantLedger = .empty, options: HomeAssistantPlanOptions) throws -> HomeAssistantEdit {
        let input = HomeAssistantInput(configurationYAML: yaml.map { Array($0.utf8) }, storageHTTP: storage)
        let edit = try HomeAssistantPlanner.plan(input, desired: desired, ledger: ledger, options: options)
        XCTAssertEqual(edit.mode, .storage)
        return edit
    }

    func stable(_ bytes: [UInt8]) throws -> NSDictionary {
        try XCTUnwrap((Python.checkStorage(bytes)?["data"] as? NSDictionary)?["stable"] as? NSDictionary)
    }

    func testWithoutTheOptInNothingIsAdoptedAndTheWarningSaysHow() throws {
        let storage = try Self.migratedHowTo()
        let edit = try plan(storage, options: HomeAssistantPlanOptions())
        XCTAssertTrue(edit.changes.isEmpty, "\(edit.changes)")
        XCTAssertNil(edit.newStorageHTTP)
        XCTAssertFalse(edit.mustStopBeforeWriting)
        XCTAssertEqual(edit.ledger, .empty, "never adopted silently")
        XCTAssertEqual(edit.adoptable.map(\.line), [11, 13, 14, 15])
        XCTAssertEqual(edit.adoptable.first?.file, ".storage/http")
        let warning = try XCTUnwrap(edit.adoptableWarning)
        XCTAssertTrue(warning.message.contains("in data.stable at lines 11, 13, 14, 15 were written by hand"), warning.message)
        XCTAssertTrue(warning.hint.contains("reconcile apply --adopt") && warning.hint.contains("adopt: true"), warning.hint)
        // Not adopted: a prune (reconcile's ledger holds something else) leaves the user's settings alone.
        let pruned = try plan(storage, desired: nil, ledger: HomeAssistantLedger(addedTrustedProxies: ["10.0.0.0/8"]), options: HomeAssistantPlanOptions())
        XCTAssertNil(pruned.newStorageHTTP)
        XCTAssertTrue(pruned.changes.isEmpty, "\(pruned.changes)")
    }

    func testWithTheOptInStableIsAdoptedWithoutAWriteThenPrunedLikeOurs() throws {
        let storage = try Self.migratedHowTo()
        let edit = try plan(storage, options: HomeAssistantPlanOptions(adopt: true))
        XCTAssertNil(edit.newStorageHTTP, "adoption writes nothing")
        XCTAssertNil(edit.newConfigurationYAML)
        XCTAssertFalse(edit.needsRestart, "and needs no restart")
        XCTAssertFalse(edit.mustStopBeforeWriting, "nor a stop")
        XCTAssertEqual(edit.changes.map(\.action), [.adopt("use_x_forwarded_for: true"), .adopt("trusted_proxies entry 127.0.0.1/32"),
                                                    .adopt("trusted_proxies entry 172.16.0.0/12"), .adopt("trusted_proxies entry ::1/128")])
        XCTAssertEqual(edit.changes.map(\.line), [11, 13, 14, 15])
        XCTAssertEqual(Set(edit.changes.map(\.section)), ["data.stable"])
        XCTAssertEqual(edit.ledger, Self.adoptedLedger)
        XCTAssertTrue(edit.adoptable.isEmpty)
        XCTAssertNil(edit.adoptableWarning)

        // Adopted: nothing left to adopt or warn about, with or without the opt-in.
        for adopt in [true, false] {
            let again = try plan(storage, ledger: edit.ledger, options: HomeAssistantPlanOptions(adopt: adopt))
            XCTAssertTrue(again.changes.isEmpty, "\(again.changes)")
            XCTAssertTrue(again.adoptable.isEmpty)
            XCTAssertEqual(again.ledger, edit.ledger)
        }
        // Prune removes both settings like reconcile's own, with Home Assistant stopped; every other byte stays.
        let pruned = try plan(storage, desired: nil, ledger: edit.ledger, options: HomeAssistantPlanOptions())
        let written = try XCTUnwrap(pruned.newStorageHTTP)
        XCTAssertTrue(pruned.mustStopBeforeWriting)
        XCTAssertEqual(pruned.ledger, .empty)
        let settings = try stable(written)
        XCTAssertNil(settings["use_x_forwarded_for"])
        XCTAssertNil(settings["trusted_proxies"])
        XCTAssertEqual(settings["server_port"] as? Int, 8123)
        XCTAssertEqual(settings["created_at"] as? String, "2026-09-12T07:58:31.402117+00:00")
    }

    func testAStableEntryTheDesiredStateDoesNotListStaysTheUsers() throws {
        let storage = try Self.migratedHowTo(extra: ",\n        \"192.168.1.0/24\"")
        let edit = try plan(storage, options: HomeAssistantPlanOptions(adopt: true))
        XCTAssertEqual(edit.changes.count, 4, "\(edit.changes)")
        XCTAssertFalse(edit.changes.contains { $0.action == .adopt("trusted_proxies entry 192.168.1.0/24") })
        XCTAssertFalse(edit.ledger.addedTrustedProxies.contains("192.168.1.0/24"))
        XCTAssertFalse(edit.ledger.createdTrustedProxies, "192.168.1.0/24 is the user's: the key stays theirs")
        let pruned = try plan(storage, desired: nil, ledger: edit.ledger, options: HomeAssistantPlanOptions())
        let settings = try stable(try XCTUnwrap(pruned.newStorageHTTP))
        XCTAssertEqual(settings["trusted_proxies"] as? [String], ["192.168.1.0/24"])
        XCTAssertEqual(settings["use_x_forwarded_for"] as? Bool, true, "kept while the user's proxies stay")
    }

    /// core#182040: `172.16.0.0/32` is a lost mask, not a setting to adopt; the repair logic is in charge of it.
    func testALostMaskIsNotAdoptedAsItIs() throws {
        let storage = try Fixtures.bytes("storage-http-182040.json")
        let edit = try plan(storage, options: HomeAssistantPlanOptions(adopt: true))
        XCTAssertEqual(edit.changes.filter { if case .adopt = $0.action { true } else { false } }.map(\.action),
                       [.adopt("use_x_forwarded_for: true"), .adopt("trusted_proxies entry 127.0.0.1/32"), .adopt("trusted_proxies entry ::1/128")])
        XCTAssertFalse(edit.ledger.addedTrustedProxies.contains("172.16.0.0/32"), "\(edit.ledger)")
        XCTAssertTrue(edit.warnings.contains { $0.contains("trusts 172.16.0.0/32") && $0.contains("--ha-repair-lost-masks") }, "\(edit.warnings)")

        // With the repair opted in too: repaired in place, still not adopted in the same run (it was a /32).
        let repaired = try plan(storage, options: HomeAssistantPlanOptions(repairUserMasks: true, adopt: true))
        XCTAssertTrue(repaired.changes.contains { $0.action == .repairTrustedProxy(from: "172.16.0.0/32", to: "172.16.0.0/12") })
        XCTAssertFalse(repaired.changes.contains { $0.action == .adopt("trusted_proxies entry 172.16.0.0/32") })
        XCTAssertEqual(repaired.ledger.addedTrustedProxies, ["127.0.0.1/32", "::1/128"])
        let written = try XCTUnwrap(repaired.newStorageHTTP)
        XCTAssertEqual(String(decoding: written, as: UTF8.self),
                       String(decoding: storage, as: UTF8.self).replacingOccurrences(of: "\"172.16.0.0/32\"", with: "\"172.16.0.0/12\""))
    }

    /// A hand-written block adopted in YAML mode, then migrated into storage: the ledger (which keys entries
    /// by network, as storage writes them) already makes them reconcile's there.
    func testAYAMLAdoptionCountsAsOursOnceMigrated() throws {
        let yaml = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: Array(TrustAdoptionTests.howTo.utf8), storageHTTP: nil),
                                                 desired: ProxyTrustPolicy(), ledger: .empty, options: HomeAssistantPlanOptions(adopt: true))
        XCTAssertEqual(yaml.mode, .yaml)
        let storage = try Self.migratedHowTo()
        for adopt in [true, false] {
            let edit = try plan(storage, yaml: TrustAdoptionTests.howTo, ledger: yaml.ledger, options: HomeAssistantPlanOptions(adopt: adopt))
            XCTAssertFalse(edit.changes.contains { if case .adopt = $0.action { true } else { false } }, "\(edit.changes)")
            XCTAssertTrue(edit.adoptable.isEmpty, "no warning: they are reconcile's already")
            XCTAssertNil(edit.newStorageHTTP)
            XCTAssertEqual(edit.ledger.addedTrustedProxies, yaml.ledger.addedTrustedProxies)
            // The adopted block is reconcile's: dead since the migration, it goes like a block reconcile created.
            XCTAssertEqual(edit.newConfigurationYAML.map { String(decoding: $0, as: UTF8.self) }, "default_config:\n")
            XCTAssertFalse(edit.ledger.createdHTTPBlock)
        }
        let pruned = try plan(storage, yaml: TrustAdoptionTests.howTo, desired: nil, ledger: yaml.ledger, options: HomeAssistantPlanOptions())
        let settings = try stable(try XCTUnwrap(pruned.newStorageHTTP))
        XCTAssertNil(settings["use_x_forwarded_for"])
        XCTAssertNil(settings["trusted_proxies"])
    }
}
