import Diagnostics
import Foundation
@testable import HomeAssistant
import Networks
import XCTest

/// core#182040: the migration turned `172.16.0.0/12` into `172.16.0.0/32` in `data.stable`.
final class MaskRepairTests: XCTestCase {
    /// What reconcile recorded when it wrote the YAML block before the migration.
    let oursBeforeMigration = HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "::1/128", "172.16.0.0/12"],
                                                  useXForwardedForBefore: .notTrue)

    func plan(_ storage: [UInt8], yaml: [UInt8]? = nil, desired: ProxyTrustPolicy? = ProxyTrustPolicy(), ledger: HomeAssistantLedger,
              options: HomeAssistantPlanOptions = HomeAssistantPlanOptions()) throws -> HomeAssistantEdit {
        let input = HomeAssistantInput(configurationYAML: yaml, storageHTTP: storage)
        let edit = try HomeAssistantPlanner.plan(input, desired: desired, ledger: ledger, options: options)
        var next = input
        if let new = edit.newStorageHTTP { next.storageHTTP = new }
        let again = try HomeAssistantPlanner.plan(next, desired: desired, ledger: edit.ledger, options: options)
        XCTAssertNil(again.newStorageHTTP, "planning the output again changes nothing")
        XCTAssertEqual(again.ledger, edit.ledger)
        return edit
    }

    /// Our entry: replaced where it stands; every other byte of the file as it was; the failed pending not revived.
    func testOurLostMaskIsRepairedInPlace() throws {
        let old = try Fixtures.bytes("storage-http-182040.json")
        let edit = try plan(old, ledger: oursBeforeMigration)
        let new = try XCTUnwrap(edit.newStorageHTTP)
        let text = String(decoding: old, as: UTF8.self)
        let first = try XCTUnwrap(text.range(of: "\"172.16.0.0/32\""))
        XCTAssertEqual(String(decoding: new, as: UTF8.self), text.replacingCharacters(in: first, with: "\"172.16.0.0/12\""))
        XCTAssertEqual(edit.changes.map(\.description), [".storage/http:14: data.stable: repair proxy 172.16.0.0/32 → 172.16.0.0/12"])
        let cause = try XCTUnwrap(edit.causes[0])
        XCTAssertEqual(cause, "Home Assistant's move of http: into storage lost this entry's mask (core#182040); data.pending (failed: not_promoted) holds 172.16.0.0/12")
        XCTAssertEqual(edit.ledger.addedTrustedProxies, oursBeforeMigration.addedTrustedProxies)
        XCTAssertTrue(edit.mustStopBeforeWriting)
        XCTAssertFalse(edit.warnings.contains { $0.contains("core#182040") }, "\(edit.warnings)")
    }

    /// The YAML block is evidence too, and both places are named.
    func testYAMLBlockIsEvidence() throws {
        let old = try Fixtures.bytes("storage-http-182040.json")
        let yaml = Array("default_config:\nhttp:\n  server_port: 8123\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - 172.16.0.0/12\n".utf8)
        let edit = try plan(old, yaml: yaml, ledger: oursBeforeMigration)
        XCTAssertEqual(edit.causes[0]?.hasSuffix("data.pending (failed: not_promoted) and configuration.yaml:7 hold 172.16.0.0/12"), true, "\(edit.causes)")
        XCTAssertNil(edit.newConfigurationYAML)
        XCTAssertTrue(edit.warnings.contains { $0.contains("stops working in 2027.2.0") }, "\(edit.warnings)")
    }

    /// The user's entry: left, with the exact repair; the desired network still reaches stable (appended).
    func testUsersLostMaskIsWarnedAndRepairedOnlyWithTheOptIn() throws {
        let old = try Fixtures.bytes("storage-http-182040.json")
        let warned = try plan(old, ledger: .empty)
        let new = try XCTUnwrap(warned.newStorageHTTP)
        let stable = try XCTUnwrap(((Python.checkStorage(new)?["data"] as? NSDictionary)?["stable"] as? NSDictionary)?["trusted_proxies"] as? [String])
        XCTAssertEqual(stable, ["127.0.0.1/32", "172.16.0.0/32", "::1/128", "172.16.0.0/12"])
        let warning = try XCTUnwrap(warned.warnings.first { $0.contains("core#182040") })
        XCTAssertTrue(warning.hasPrefix(".storage/http:14: data.stable trusts 172.16.0.0/32"), warning)
        XCTAssertTrue(warning.contains("replace \"172.16.0.0/32\" with \"172.16.0.0/12\" in data.stable.trusted_proxies"), warning)
        XCTAssertTrue(warning.contains("--ha-repair-lost-masks"), warning)

        let repaired = try plan(old, ledger: .empty, options: HomeAssistantPlanOptions(repairUserMasks: true))
        let text = String(decoding: old, as: UTF8.self)
        XCTAssertEqual(String(decoding: try XCTUnwrap(repaired.newStorageHTTP), as: UTF8.self),
                       text.replacingCharacters(in: text.range(of: "\"172.16.0.0/32\"")!, with: "\"172.16.0.0/12\""))
        XCTAssertFalse(repaired.warnings.contains { $0.contains("core#182040") })
        // Repaired, it stays the user's entry: prune would not take it.
        XCTAssertFalse(repaired.ledger.addedTrustedProxies.contains("172.16.0.0/12"), "\(repaired.ledger)")
    }

    /// A user's /32 of a network nobody wrote wider, or a /32 whose wider network stable already has: no repair.
    func testNoFalseRepairs() throws {
        let doc = #"{"version": 2, "minor_version": 3, "key": "http", "data": {"stable": {"use_x_forwarded_for": true, "trusted_proxies": ["10.0.0.0/32", "172.16.0.0/32", "127.0.0.1/32", "::1/128", "172.16.0.0/12"], "created_at": "x", "error": null, "error_message": null}, "pending": {"trusted_proxies": ["172.16.0.0/12", "127.0.0.0/8", "10.0.0.0/8"], "error": null}, "yaml_migration_done": true}}"#
        // The pending is a clean trial, not evidence; 172.16.0.0/12 is in stable already.
        let edit = try plan(Array(doc.utf8), ledger: oursBeforeMigration)
        XCTAssertFalse(edit.changes.contains { if case .repairTrustedProxy = $0.action { return true }; return false }, "\(edit.changes)")
        XCTAssertFalse(edit.warnings.contains { $0.contains("core#182040") })
        let found = MaskCorruption.find(in: [try IPNetwork.parse("127.0.0.1/32").get()],
                                        evidence: [MaskEvidence(network: try IPNetwork.parse("127.0.0.0/8").get(), place: "x")], ledger: .empty)
        XCTAssertEqual(found.count, 0, "127.0.0.1 is not the network address of 127.0.0.0/8")
    }

    /// IPv6: a /128 that was a /64.
    func testIPv6LostMask() throws {
        let doc = #"{"version": 2, "minor_version": 3, "key": "http", "data": {"stable": {"use_x_forwarded_for": true, "trusted_proxies": ["127.0.0.1/32", "::1/128", "172.16.0.0/12", "fd00:1::/128"], "error": null}, "pending": {"trusted_proxies": ["fd00:1::/64"], "error": "apply_failed", "error_message": "port in use"}, "yaml_migration_done": true}}"#
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "::1/128", "172.16.0.0/12", "fd00:1::/64"])
        let edit = try plan(Array(doc.utf8), desired: ProxyTrustPolicy(trustedProxies: ["127.0.0.1", "::1", "172.16.0.0/12", "fd00:1::/64"]), ledger: ledger)
        XCTAssertEqual(edit.changes.map(\.action), [.repairTrustedProxy(from: "fd00:1::/128", to: "fd00:1::/64")])
        XCTAssertTrue(String(decoding: try XCTUnwrap(edit.newStorageHTTP), as: UTF8.self).contains(#""fd00:1::/64"], "error": null}"#))
    }

    /// Prune: our lost-mask entry goes, as the network it was.
    func testPruneRemovesOurEntryEvenWithItsMaskLost() throws {
        let edit = try plan(try Fixtures.bytes("storage-http-182040.json"), desired: nil, ledger: oursBeforeMigration)
        let new = try XCTUnwrap(edit.newStorageHTTP)
        let stable = (Python.checkStorage(new)?["data"] as? NSDictionary)?["stable"] as? NSDictionary
        XCTAssertEqual(stable?["trusted_proxies"] as? [String], [])
        XCTAssertEqual(stable?["use_x_forwarded_for"] as? Bool, false)
        XCTAssertTrue(edit.changes.contains { $0.action == .removeTrustedProxy("172.16.0.0/12") }, "\(edit.changes)")
        XCTAssertEqual(edit.ledger, .empty)
    }
}
