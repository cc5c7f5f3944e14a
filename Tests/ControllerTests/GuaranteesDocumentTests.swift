import Foundation
import XCTest
@testable import Controller
import Planner

/// docs/guarantees.md names, for each promise, the tests that prove it. A name that does not exist in
/// Tests/ (renamed, deleted, mistyped) fails here, so the document cannot promise on a test's behalf.
final class GuaranteesDocumentTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func document() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/guarantees.md"), encoding: .utf8)
    }

    /// `Class/testMethod` for every test method under Tests/, by the class (or extension) it is declared in.
    static func testsInTree() throws -> Set<String> {
        var names: Set<String> = []
        let tests = root.appendingPathComponent("Tests")
        let walker = FileManager.default.enumerator(atPath: tests.path)!
        // Top level only: a helper class nested in a test class (indented) does not start another one.
        let classLine = try Regex(#"^(?:final\s+)?(?:class|extension)\s+([A-Za-z0-9_]+)"#)
        let funcLine = try Regex(#"^\s*func\s+(test[A-Za-z0-9_]*)\s*\("#)
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            var current: String?
            for line in try String(contentsOf: tests.appendingPathComponent(relative), encoding: .utf8).split(separator: "\n") {
                if let match = try classLine.firstMatch(in: line), let name = match.output[1].substring { current = String(name) }
                if let match = try funcLine.firstMatch(in: line), let name = match.output[1].substring, let current {
                    names.insert("\(current)/\(name)")
                }
            }
        }
        return names
    }

    func testEveryTestTheDocumentNamesExists() throws {
        let document = try Self.document()
        let existing = try Self.testsInTree()
        let named = document.matches(of: try Regex(#"`([A-Z][A-Za-z0-9_]*/test[A-Za-z0-9_]*)`"#)).compactMap { $0.output[1].substring.map(String.init) }
        XCTAssertGreaterThanOrEqual(Set(named).count, 50, "the document names its proofs")
        for name in Set(named).sorted() {
            XCTAssertTrue(existing.contains(name), "docs/guarantees.md names \(name), which is not a test in Tests/")
        }
    }

    /// The failpoints the document lists are the names the interpreter arms (`after-write:home_assistant`,
    /// not a Swift case name): a test or a person arming a listed name must hit it.
    func testEveryFailpointTheDocumentNamesIsOneTheInterpreterArms() throws {
        let document = try Self.document()
        var armed: Set<String> = [ApplyInterpreter.failpoint(after: .backUp(path: "/f", content: [])),
                 ApplyInterpreter.failpoint(after: .saveLedger(Ledger())),
                 ApplyInterpreter.failpoint(after: .loadCaddy(content: []))]
        for kind in TargetKind.allCases { armed.insert(ApplyInterpreter.failpoint(after: .write(path: "/f", target: kind, old: nil, new: [1]))) }
        let named = document.matches(of: try Regex(#"`(after-[a-z-]+(?::[A-Za-z_]+)?)`"#)).compactMap { $0.output[1].substring.map(String.init) }
        XCTAssertGreaterThanOrEqual(Set(named).count, 5, "the document lists the failpoints")
        for name in Set(named).sorted() {
            XCTAssertTrue(armed.contains(name), "docs/guarantees.md names the failpoint \(name); the interpreter arms \(armed.sorted())")
        }
    }

    func testEveryPromiseHasAProof() throws {
        let sections = try Self.document().components(separatedBy: "\n## ").dropFirst()
        XCTAssertGreaterThanOrEqual(sections.count, 10)
        for section in sections {
            let title = section.prefix { $0 != "\n" }
            XCTAssertTrue(section.contains("/test"), "the promise '\(title)' names no test")
        }
        for promise in ["No partial writes", "No clobbering", "Idempotence", "Rollback", "No loop", "No secret", "Bounded resources"] {
            XCTAssertTrue(sections.contains { $0.hasPrefix(promise) }, "missing the promise '\(promise)'")
        }
    }
}

/// The bounds table of docs/guarantees.md is `ReconcileBounds.all`, value for value.
final class BoundsDocumentTests: XCTestCase {
    func testEveryBoundIsInTheTableWithItsValue() throws {
        let document = try GuaranteesDocumentTests.document()
        let bounds = ReconcileBounds.all
        XCTAssertGreaterThanOrEqual(bounds.count, 20)
        XCTAssertEqual(Set(bounds.map(\.name)).count, bounds.count)
        for bound in bounds {
            let row = "| `\(bound.name)` | \(bound.value) |"
            XCTAssertTrue(document.contains(row), "docs/guarantees.md lacks the row \(row)")
        }
        let rows = document.split(separator: "\n").filter { $0.hasPrefix("| `") && !$0.hasPrefix("| `fuzz-") }
        XCTAssertEqual(rows.count, bounds.count, "every row of the bounds table is a bound")
    }
}
