import Diagnostics
import Foundation
import TestSupportCore
@testable import HomeAssistant
import XCTest
import YAMLEdit

/// Fixture files next to the tests.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

struct PythonFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs the Python oracles in Fixtures/ (PyYAML for YAML, json for storage) through the tests' one runner.
enum Python {
    /// Runs `script` with `arguments`, `stdin` bytes on standard input; returns standard output.
    static func run(_ script: String, _ arguments: [String], stdin: [UInt8] = []) throws -> String {
        let result = try TestSupportCore.run(["python3", Fixtures.directory.appendingPathComponent(script).path] + arguments, input: stdin)
        guard result.status == 0 else { throw PythonFailure(description: "\(script) failed: " + result.stderr) }
        return result.stdout
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ha-test-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    /// PyYAML loads both files; everything but http's two settings is equal, and they are as expected
    /// (nil: that setting is absent; `httpAbsent`: no http: at all).
    static func checkYAML(original: [UInt8], edited: [UInt8], flag: Bool?, proxies: [String]?, httpAbsent: Bool = false,
                          file: StaticString = #filePath, line: UInt = #line) {
        do {
            let a = try temporaryFile(original), b = try temporaryFile(edited)
            defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
            var expected: [String: Any] = [:]
            if httpAbsent { expected["http_absent"] = true }
            if let flag { expected["use_x_forwarded_for"] = flag }
            if let proxies { expected["trusted_proxies"] = proxies }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: expected), as: UTF8.self)
            _ = try run("ha_yaml_check.py", [a.path, b.path, json])
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    /// The storage file satisfies Home Assistant's storage schema; returns it parsed.
    static func checkStorage(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> NSDictionary? {
        do {
            let out = try run("ha_storage_check.py", [], stdin: bytes)
            return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? NSDictionary
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }
}

/// Line-level checks on edits.
enum LineDiff {
    static func lines(_ bytes: [UInt8]) -> [String] {
        // Split bytes, not Characters: in a Swift String "\r\n" is one Character.
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The changed region (after the common prefix and suffix of lines) of `old` and of `new`.
    static func changedRegion(_ old: [UInt8], _ new: [UInt8]) -> (old: Range<Int>, new: Range<Int>) {
        let a = lines(old), b = lines(new)
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        return (prefix..<(a.count - suffix), prefix..<(b.count - suffix))
    }

    /// 0-based line range of the top-level `http:` block as text: its key line through the line before
    /// the next top-level key (comments at column 0 in between belong to it), or an empty range at the end.
    static func httpBlock(_ bytes: [UInt8]) -> Range<Int> {
        let all = lines(bytes)
        guard let start = all.firstIndex(where: { $0.hasPrefix("http:") }) else { return all.count..<all.count }
        var end = start + 1
        while end < all.count {
            let line = all[end]
            if let first = line.first, first != " ", first != "#", first != "\r" { break }
            end += 1
        }
        return start..<end
    }

    /// Every changed line of the input lies in its http block, and every new line in the output's.
    static func assertOnlyHTTPBlockChanged(_ old: [UInt8], _ new: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let region = changedRegion(old, new)
        let oldBlock = httpBlock(old), newBlock = httpBlock(new)
        XCTAssertTrue(region.old.isEmpty || (oldBlock.lowerBound <= region.old.lowerBound && region.old.upperBound <= oldBlock.upperBound),
                      "changed input lines \(region.old) outside http block \(oldBlock)", file: file, line: line)
        // A separating blank line before a new block is part of the insertion.
        let newStart = newBlock.lowerBound > 0 && ["", "\r"].contains(lines(new)[newBlock.lowerBound - 1]) && oldBlock.isEmpty ? newBlock.lowerBound - 1 : newBlock.lowerBound
        XCTAssertTrue(region.new.isEmpty || (newStart <= region.new.lowerBound && region.new.upperBound <= newBlock.upperBound),
                      "changed output lines \(region.new) outside http block \(newBlock)", file: file, line: line)
    }
}

/// Planning helpers.
enum Plan {
    static func yaml(_ text: String, desired: ProxyTrustPolicy? = ProxyTrustPolicy(), ledger: HomeAssistantLedger = .empty,
                     storage: String? = nil) throws -> HomeAssistantEdit {
        try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: Array(text.utf8), storageHTTP: storage.map { Array($0.utf8) }),
                                      desired: desired, ledger: ledger)
    }

    /// Apply the edit and plan again with its ledger: nothing left to do.
    static func assertIdempotent(_ input: HomeAssistantInput, _ edit: HomeAssistantEdit, desired: ProxyTrustPolicy?,
                                 file: StaticString = #filePath, line: UInt = #line) {
        var next = input
        if let yaml = edit.newConfigurationYAML { next.configurationYAML = yaml }
        if let storage = edit.newStorageHTTP { next.storageHTTP = storage }
        do {
            let again = try HomeAssistantPlanner.plan(next, desired: desired, ledger: edit.ledger)
            XCTAssertEqual(again.changes, [], file: file, line: line)
            XCTAssertNil(again.newConfigurationYAML, file: file, line: line)
            XCTAssertNil(again.newStorageHTTP, file: file, line: line)
            XCTAssertFalse(again.needsRestart, file: file, line: line)
            XCTAssertEqual(again.ledger, edit.ledger, file: file, line: line)
        } catch {
            XCTFail("planning again failed: \(error)", file: file, line: line)
        }
    }

    static func text(_ bytes: [UInt8]?) -> String { bytes.map { String(decoding: $0, as: UTF8.self) } ?? "<unchanged>" }
}
