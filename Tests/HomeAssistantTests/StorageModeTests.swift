import Diagnostics
import Foundation
@testable import HomeAssistant
import XCTest

/// Storage mode: `.storage/http` after the 2026.8 migration. Only our two fields change; the file keeps
/// its schema, every other field, its key order and its layout.
final class StorageModeTests: XCTestCase {
    let yamlWithDeadBlock = Array("default_config:\nhttp:\n  ssl_key: !secret private_ssl_key\n  use_x_forwarded_for: false\n".utf8)

    func plan(_ storage: [UInt8], yaml: [UInt8]? = nil, desired: ProxyTrustPolicy? = ProxyTrustPolicy(),
              ledger: HomeAssistantLedger = .empty) throws -> (HomeAssistantInput, HomeAssistantEdit) {
        let input = HomeAssistantInput(configurationYAML: yaml, storageHTTP: storage)
        let edit = try HomeAssistantPlanner.plan(input, desired: desired, ledger: ledger)
        Plan.assertIdempotent(input, edit, desired: desired)
        return (input, edit)
    }

    /// Parsed trees are equal once our two fields are dropped from stable and pending.
    func assertOnlyOurFieldsDiffer(_ old: [UInt8], _ new: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        func stripped(_ bytes: [UInt8]) throws -> NSDictionary {
            let tree = try XCTUnwrap(Python.checkStorage(bytes, file: file, line: line)?.mutableCopy() as? NSMutableDictionary, file: file, line: line)
            let data = try XCTUnwrap((tree["data"] as? NSDictionary)?.mutableCopy() as? NSMutableDictionary, file: file, line: line)
            for section in ["stable", "pending"] {
                guard let settings = (data[section] as? NSDictionary)?.mutableCopy() as? NSMutableDictionary else { continue }
                settings.removeObject(forKey: "use_x_forwarded_for")
                settings.removeObject(forKey: "trusted_proxies")
                data[section] = settings
            }
            tree["data"] = data
            return tree
        }
        XCTAssertEqual(try stripped(old), try stripped(new), file: file, line: line)
    }

    func settings(_ bytes: [UInt8], _ section: String) throws -> (flag: Any?, proxies: [String]?) {
        let tree = try XCTUnwrap(Python.checkStorage(bytes))
        let settings = try XCTUnwrap((tree["data"] as? NSDictionary)?[section] as? NSDictionary)
        return (settings["use_x_forwarded_for"], settings["trusted_proxies"] as? [String])
    }

    /// Home Assistant before 2026.8 keeps a flat version-1 `.storage/http` of its own (seen with 2024.1):
    /// YAML mode, and no warning about a migration that will never happen.
    func testOlderHomeAssistantsOwnStorageFileMeansYAMLModeWithoutWarning() throws {
        let storage = Array(#"{"version": 1, "minor_version": 1, "key": "http", "data": {"login_attempts_threshold": -1}}"#.utf8)
        let yaml = Array("default_config:\n".utf8)
        let input = HomeAssistantInput(configurationYAML: yaml, storageHTTP: storage)
        let edit = try HomeAssistantPlanner.plan(input, desired: ProxyTrustPolicy(), ledger: .empty)
        XCTAssertEqual(edit.mode, .yaml)
        XCTAssertEqual(edit.warnings, [])
        XCTAssertNil(edit.newStorageHTTP, "the older file is Home Assistant's own: never written")
        XCTAssertNotNil(edit.newConfigurationYAML)
    }

    func testStableIsUpdatedInHomeAssistantsOwnLayout() throws {
        let old = try Fixtures.bytes("storage-http.json")
        let (_, edit) = try plan(old, yaml: Array("default_config:\n".utf8))
        XCTAssertEqual(edit.mode, .storage)
        XCTAssertTrue(edit.modeReason.explanation.contains("yaml_migration_done: true"), edit.modeReason.explanation)
        XCTAssertTrue(edit.needsRestart)
        XCTAssertTrue(edit.mustStopBeforeWriting)
        XCTAssertNil(edit.newConfigurationYAML)
        let new = try XCTUnwrap(edit.newStorageHTTP)
        try assertOnlyOurFieldsDiffer(old, new)
        // Networks, not bare addresses; the user's entry first, as it was.
        XCTAssertEqual(try settings(new, "stable").proxies, ["192.168.1.0/24", "127.0.0.1/32", "::1/128", "172.16.0.0/12"])
        // Byte for byte: the file as Home Assistant (indent 2, key order kept) would write the same content.
        let rendered = try Python.run("ha_storage_render.py", [], stdin: new)
        XCTAssertEqual(String(decoding: new, as: UTF8.self), rendered)
        XCTAssertEqual(edit.changes.map(\.description), [
            ".storage/http:11: data.stable: set use_x_forwarded_for to true",
            ".storage/http:12: data.stable: trust proxy 127.0.0.1/32",
            ".storage/http:12: data.stable: trust proxy ::1/128",
            ".storage/http:12: data.stable: trust proxy 172.16.0.0/12",
        ])
    }

    func testPendingIsFollowedNotCleared() throws {
        let old = try Fixtures.bytes("storage-http-pending.json")
        let (_, edit) = try plan(old)
        let new = try XCTUnwrap(edit.newStorageHTTP)
        try assertOnlyOurFieldsDiffer(old, new)  // pending's own port, certificate and key survive
        XCTAssertEqual(try settings(new, "stable").proxies, ["192.168.1.0/24", "127.0.0.1/32", "::1/128", "172.16.0.0/12"])
        XCTAssertEqual(try settings(new, "pending").proxies, ["127.0.0.1/32", "192.168.1.0/24", "::1/128", "172.16.0.0/12"])
        XCTAssertEqual(try settings(new, "pending").flag as? Bool, true)
        XCTAssertTrue(edit.changes.contains { $0.section == "data.pending" })
        XCTAssertTrue(edit.notes.map(\.explanation).contains { $0.contains("runs it as a trial") }, "\(edit.notes)")
        // Each section has its own record: 127.0.0.1/32 is ours in stable, the user's in pending.
        XCTAssertEqual(edit.ledger.addedTrustedProxies, ["127.0.0.1/32", "::1/128", "172.16.0.0/12"])
        XCTAssertEqual(edit.ledger.useXForwardedForBefore, .notTrue)
        XCTAssertEqual(edit.ledger.pending, .init(addedTrustedProxies: ["::1/128", "172.16.0.0/12"]))
        XCTAssertEqual(try Python.run("ha_storage_render.py", [], stdin: new), String(decoding: new, as: UTF8.self))
    }

    func testAlreadyRightIsNoChange() throws {
        let doc = #"{"version": 2, "minor_version": 1, "key": "http", "data": {"stable": {"use_x_forwarded_for": true, "trusted_proxies": ["127.0.0.1/32", "::1/128", "172.16.0.0/12"]}, "pending": null, "yaml_migration_done": true}}"#
        let (_, edit) = try plan(Array(doc.utf8))
        XCTAssertNil(edit.newStorageHTTP)
        XCTAssertFalse(edit.needsRestart)
        XCTAssertFalse(edit.mustStopBeforeWriting)
    }

    func testDeadYAMLBlockIsWarnedAboutAndNeverWritten() throws {
        let (_, edit) = try plan(try Fixtures.bytes("storage-http.json"), yaml: yamlWithDeadBlock)
        XCTAssertNil(edit.newConfigurationYAML)
        let warning = try XCTUnwrap(edit.warnings.first { $0.contains("yaml_still_present_after_migration") })
        XCTAssertTrue(warning.hasPrefix("configuration.yaml:2:"), warning)
        XCTAssertFalse(edit.warnings.joined().contains("private_ssl_key"))
    }

    func testPruneRemovesWhatWeAddedFromStableAndPending() throws {
        let old = try Fixtures.bytes("storage-http-pending.json")
        let (_, added) = try plan(old)
        let (_, pruned) = try plan(try XCTUnwrap(added.newStorageHTTP), desired: nil, ledger: added.ledger)
        let new = try XCTUnwrap(pruned.newStorageHTTP)
        XCTAssertEqual(try settings(new, "stable").proxies, ["192.168.1.0/24"])
        XCTAssertEqual(try settings(new, "stable").flag as? Bool, false)
        // pending keeps the user's own 127.0.0.1/32 and its flag, which was already true.
        XCTAssertEqual(try settings(new, "pending").proxies, ["127.0.0.1/32", "192.168.1.0/24"])
        XCTAssertEqual(try settings(new, "pending").flag as? Bool, true)
        XCTAssertEqual(pruned.ledger, .empty)
        // Added then pruned: the original file, byte for byte.
        XCTAssertEqual(new, old)
    }

    func testCreatedKeysAreInsertedAndRemovedAsAnExactInverse() throws {
        let old = Array("{\n  \"version\": 2,\n  \"minor_version\": 1,\n  \"key\": \"http\",\n  \"data\": {\n    \"stable\": {\n      \"server_port\": 8123\n    },\n    \"pending\": null,\n    \"yaml_migration_done\": true\n  }\n}".utf8)
        let (_, added) = try plan(old)
        let new = try XCTUnwrap(added.newStorageHTTP)
        XCTAssertEqual(try Python.run("ha_storage_render.py", [], stdin: new), String(decoding: new, as: UTF8.self))
        XCTAssertEqual(added.ledger.useXForwardedForBefore, .absent)
        XCTAssertTrue(added.ledger.createdTrustedProxies)
        let (_, pruned) = try plan(new, desired: nil, ledger: added.ledger)
        XCTAssertEqual(pruned.newStorageHTTP, old)
        // An empty stable object, and a compact (single-line) file.
        for doc in [#"{"version":2,"minor_version":1,"key":"http","data":{"stable":{},"pending":null,"yaml_migration_done":true}}"#,
                    "{\n  \"version\": 2,\n  \"minor_version\": 1,\n  \"key\": \"http\",\n  \"data\": {\n    \"stable\": {},\n    \"pending\": null,\n    \"yaml_migration_done\": true\n  }\n}"] {
            let (_, edit) = try plan(Array(doc.utf8))
            let out = try XCTUnwrap(edit.newStorageHTTP)
            XCTAssertEqual(try settings(out, "stable").proxies, ["127.0.0.1/32", "::1/128", "172.16.0.0/12"])
            if doc.contains("\n") { XCTAssertEqual(try Python.run("ha_storage_render.py", [], stdin: out), String(decoding: out, as: UTF8.self)) }
            else { XCTAssertFalse(out.contains(UInt8(ascii: "\n"))) }
        }
    }

    func testSchemaViolationsAreRefusedWithAPosition() throws {
        let cases = [
            #"{"version": 3, "minor_version": 1, "key": "http", "data": {"stable": {}, "yaml_migration_done": true}}"#: "storage version 3",
            #"{"version": 2, "minor_version": 1, "key": "http", "data": {"stable": {"trusted_proxies": "x"}, "yaml_migration_done": true}}"#: "not a list of strings",
            #"{"version": 2, "minor_version": 1, "key": "http", "data": {"stable": {"use_x_forwarded_for": 1}, "yaml_migration_done": true}}"#: "not true or false",
            #"{"version": 2, "minor_version": 1, "key": "http", "data": {"stable": [], "yaml_migration_done": true}}"#: "data.stable",
            #"{"version": 2, "minor_version": 1, "key": "http", "data": {"stable": {}, "pending": 3, "yaml_migration_done": true}}"#: "data.pending",
            "{\n  \"version\": 2,\n  \"data\": {\"stable\": {}\n": "invalid JSON",
        ]
        for (doc, expected) in cases {
            XCTAssertThrowsError(try plan(Array(doc.utf8)), doc) { error in
                let diagnostic = error as? Diagnostic
                XCTAssertTrue(diagnostic?.message.contains(expected) ?? false, "\(error)")
                XCTAssertNotNil(diagnostic?.position, "\(error)")
                XCTAssertNotNil(diagnostic?.hint, "\(error)")
            }
        }
    }

    func testStringEscapesAndUnknownFieldsSurvive() throws {
        let doc = "{\n  \"version\": 2,\n  \"minor_version\": 1,\n  \"key\": \"http\",\n  \"future\": {\"nested\": [1.5e3, -0, \"\\u00e9\\n\\ud83d\\ude00\"]},\n  \"data\": {\n    \"stable\": {\n      \"cors_allowed_origins\": [\"https://caf\\u00e9.example\"],\n      \"trusted_proxies\": []\n    },\n    \"pending\": null,\n    \"yaml_migration_done\": true\n  }\n}"
        let (_, edit) = try plan(Array(doc.utf8))
        let out = String(decoding: try XCTUnwrap(edit.newStorageHTTP), as: UTF8.self)
        XCTAssertTrue(out.contains(#""future": {"nested": [1.5e3, -0, "\u00e9\n\ud83d\ude00"]},"#), out)
        XCTAssertTrue(out.contains(#""cors_allowed_origins": ["https://caf\u00e9.example"],"#), out)
        try assertOnlyOurFieldsDiffer(Array(doc.utf8), Array(out.utf8))
    }
}
