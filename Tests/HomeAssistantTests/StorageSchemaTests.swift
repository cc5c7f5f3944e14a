import Diagnostics
import Foundation
@testable import HomeAssistant
import XCTest

/// The real `.storage/http` schema: versions 2.1, 2.2 and 2.3, each slot's `created_at`, `error` and
/// `error_message` kept byte for byte; what Home Assistant does with its pending config.
final class StorageSchemaTests: XCTestCase {
    func plan(_ storage: [UInt8], yaml: [UInt8]? = nil, desired: ProxyTrustPolicy? = ProxyTrustPolicy(),
              ledger: HomeAssistantLedger = .empty) throws -> HomeAssistantEdit {
        let input = HomeAssistantInput(configurationYAML: yaml, storageHTTP: storage)
        let edit = try HomeAssistantPlanner.plan(input, desired: desired, ledger: ledger)
        Plan.assertIdempotent(input, edit, desired: desired)
        return edit
    }

    func slot(_ bytes: [UInt8], _ name: String) throws -> NSDictionary {
        let tree = try XCTUnwrap(Python.checkStorage(bytes))
        return try XCTUnwrap((tree["data"] as? NSDictionary)?[name] as? NSDictionary)
    }

    func testVersions21To23AreWrittenWithMetadataAndLayoutKept() throws {
        for (name, minor) in [("storage-http.json", 1), ("storage-http-2.2.json", 2), ("storage-http-2.3.json", 3)] {
            let old = try Fixtures.bytes(name)
            let edit = try plan(old)
            XCTAssertTrue(edit.modeReason.explanation.contains("(version 2.\(minor))"), edit.modeReason.explanation)
            XCTAssertTrue(edit.modeReason.explanation.contains("2026.8.0 or later"), edit.modeReason.explanation)
            let new = try XCTUnwrap(edit.newStorageHTTP, name)
            XCTAssertEqual(try Python.run("ha_storage_render.py", [], stdin: new), String(decoding: new, as: UTF8.self), name)
            let before = try slot(old, "stable"), after = try slot(new, "stable")
            for key in StorageHTTPFile.metadataKeys {
                XCTAssertEqual(before[key] as? NSObject, after[key] as? NSObject, "\(name): \(key)")
            }
            XCTAssertEqual(after["created_at"] as? String, minor == 1 ? nil : "2026-09-12T07:58:31.402117+00:00")
            XCTAssertEqual(after["trusted_proxies"] as? [String], ["192.168.1.0/24", "127.0.0.1/32", "::1/128", "172.16.0.0/12"])
            // The metadata follows our members: their lines are untouched.
            let tail = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\"use_x_frame_options\"").last }
            XCTAssertEqual(tail(old), tail(new), name)
        }
    }

    func testUnknownMinorVersionAndBadMetadataAreRefused() throws {
        let base = String(decoding: try Fixtures.bytes("storage-http-2.3.json"), as: UTF8.self)
        let cases = [
            base.replacingOccurrences(of: "\"minor_version\": 3", with: "\"minor_version\": 4"): "storage version 2.4",
            base.replacingOccurrences(of: "\"error\": null", with: "\"error\": 7"): "data.stable.error\" is neither null nor a string",
        ]
        for (doc, expected) in cases {
            XCTAssertThrowsError(try plan(Array(doc.utf8))) { error in
                let diagnostic = error as? Diagnostic
                XCTAssertTrue(diagnostic?.message.contains(expected) ?? false, "\(error)")
                XCTAssertNotNil(diagnostic?.position)
            }
        }
    }

    /// A pending config with an error is never applied again: it stays byte for byte, and the plan says so.
    func testFailedPendingIsNeverEditedAndThePlanSaysWhy() throws {
        let old = try Fixtures.bytes("storage-http-182040.json")
        var text = String(decoding: old, as: UTF8.self)
        // stable without our settings at all; the failed pending lacks ::1 too.
        text = text.replacingOccurrences(of: "\"use_x_forwarded_for\": true,\n      \"trusted_proxies\": [\n        \"127.0.0.1/32\",\n        \"172.16.0.0/32\",\n        \"::1/128\"\n      ],\n", with: "")
        text = text.replacingOccurrences(of: "\"172.16.0.0/12\",\n        \"::1/128\"", with: "\"172.16.0.0/12\"")
        let input = Array(text.utf8)
        let edit = try plan(input)
        let new = try XCTUnwrap(edit.newStorageHTTP)
        XCTAssertTrue(edit.changes.allSatisfy { $0.section == "data.stable" }, "\(edit.changes)")
        XCTAssertFalse(edit.changes.isEmpty)
        XCTAssertEqual(try slot(new, "pending"), try slot(input, "pending"))
        XCTAssertEqual(try slot(new, "pending")["error"] as? String, "not_promoted")
        // The pending text is the same bytes, at the end of the file.
        let pendingText = text[text.range(of: "\"pending\": {")!.lowerBound...]
        XCTAssertTrue(String(decoding: new, as: UTF8.self).hasSuffix(pendingText))
        XCTAssertNil(edit.ledger.pending)
        XCTAssertTrue(edit.notes.map(\.explanation).contains { $0.contains("failed (error: not_promoted)") && $0.contains("never applies it again") }, "\(edit.notes)")
    }

    func testCleanTrialIsFollowedAndThePlanSaysItReverts() throws {
        let edit = try plan(try Fixtures.bytes("storage-http-2.3-trial.json"))
        XCTAssertTrue(edit.changes.contains { $0.section == "data.pending" })
        XCTAssertTrue(edit.changes.contains { $0.section == "data.stable" })
        XCTAssertTrue(edit.notes.map(\.explanation).contains { $0.contains("runs it as a trial") && $0.contains("5 minutes") }, "\(edit.notes)")
        let pending = try slot(try XCTUnwrap(edit.newStorageHTTP), "pending")
        XCTAssertTrue(pending["error"] is NSNull)
        XCTAssertEqual(pending["created_at"] as? String, "2026-09-14T18:02:11.120045+00:00")
    }

    func testNoPendingIsSaid() throws {
        let edit = try plan(try Fixtures.bytes("storage-http-2.3.json"))
        XCTAssertTrue(edit.notes.map(\.explanation).contains { $0.contains("no pending config") }, "\(edit.notes)")
    }

    /// YAML mode with Home Assistant's version-1 snapshot: the plan says what 2026.8's first start does.
    func testYAMLModeWithVersion1SnapshotSaysWhatTheFirstStartOf2026_8Does() throws {
        let storage = #"{"version": 1, "minor_version": 1, "key": "http", "data": {"trusted_proxies": ["172.16.0.0"]}}"#
        let edit = try Plan.yaml("default_config:\n", storage: storage)
        XCTAssertEqual(edit.mode, .yaml)
        XCTAssertTrue(edit.modeReason.explanation.contains("version-1 snapshot") && edit.modeReason.explanation.contains("2026.8.0"), edit.modeReason.explanation)
        let note = try XCTUnwrap(edit.notes.first?.explanation)
        XCTAssertTrue(note.contains("first start on 2026.8.0"), note)
        XCTAssertTrue(note.contains("data.pending") && note.contains("core#182040"), note)
    }
}
