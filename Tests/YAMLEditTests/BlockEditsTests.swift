@testable import YAMLEdit
import XCTest

/// The generic whole-line edits of block mappings and sequences, and the helpers they rest on.
final class BlockEditsTests: XCTestCase {
    func document(_ text: String) throws -> YAMLDocument { try YAMLDocument.parse(Array(text.utf8), file: "t.yaml") }

    func apply(_ edit: TextEdit?, _ document: YAMLDocument) throws -> String {
        String(decoding: TextEdit.apply([try XCTUnwrap(edit)], to: document.bytes), as: UTF8.self)
    }

    func testAppendEntryGoesAfterTheLastPairAtTheKeyColumn() throws {
        let doc = try document("a:\n  x: 1\n  y:\n    - 2  # c\n  # trailing\nb: 3\n")
        let a = try XCTUnwrap(doc.root?["a"])
        let out = try apply(BlockMappingEdits.appendEntry(["z:", "  - 4"], to: a, in: SourceLines(doc.bytes)), doc)
        XCTAssertEqual(out, "a:\n  x: 1\n  y:\n    - 2  # c\n  z:\n    - 4\n  # trailing\nb: 3\n")
    }

    func testAppendEntryAfterABlockScalarAndAtAnUnterminatedEnd() throws {
        let doc = try document("a:\n  s: |\n    text\n\n  t: 1")
        let a = try XCTUnwrap(doc.root?["a"])
        XCTAssertEqual(try apply(BlockMappingEdits.appendEntry(["u: 2"], to: a, in: SourceLines(doc.bytes)), doc), "a:\n  s: |\n    text\n\n  t: 1\n  u: 2\n")
        let block = try document("a:\n  s: |\n    text\nb: 1\n")
        let inner = try XCTUnwrap(block.root?["a"])
        let out = try apply(BlockMappingEdits.appendEntry(["u: 2"], to: inner, in: SourceLines(block.bytes)), block)
        XCTAssertEqual(out, "a:\n  s: |\n    text\n  u: 2\nb: 1\n")
        XCTAssertEqual(try YAMLDocument.parse(Array(out.utf8), file: "o").root?["a"]?["s"]?.scalarValue, "text\n")
    }

    func testAppendEntryInsideASequenceItemMapping() throws {
        let doc = try document("- a: 1\n  b: 2\n- c: 3\n")
        let first = try XCTUnwrap(doc.root?.items?.first)
        XCTAssertEqual(try apply(BlockMappingEdits.appendEntry(["z: 9"], to: first, in: SourceLines(doc.bytes)), doc), "- a: 1\n  b: 2\n  z: 9\n- c: 3\n")
    }

    func testRemovePairTakesItsLinesAndRefusesSharedLines() throws {
        let doc = try document("a:\n  x: 1\n  y:\n    - 2\n    - 3\n  z: 4\n")
        let pair = try XCTUnwrap(doc.root?["a"]?.pair(forKey: "y"))
        XCTAssertEqual(try apply(BlockMappingEdits.removePair(pair, in: SourceLines(doc.bytes)), doc), "a:\n  x: 1\n  z: 4\n")
        let shared = try document("- x: 1\n  y: 2\n")
        let x = try XCTUnwrap(shared.root?.items?.first?.pair(forKey: "x"))
        XCTAssertNil(BlockMappingEdits.removePair(x, in: SourceLines(shared.bytes)), "the dash would go with it")
        let flow = try document("a: {x: 1, y: 2}\n")
        XCTAssertNil(BlockMappingEdits.appendEntry(["z: 3"], to: try XCTUnwrap(flow.root?["a"]), in: SourceLines(flow.bytes)))
    }

    func testSequenceItemsCopyTheDashLayoutAndCRLF() throws {
        let doc = try document("k:\r\n-   a\r\n-   !secret b   # mine\r\nn: 1\r\n")
        let seq = try XCTUnwrap(doc.root?["k"])
        XCTAssertEqual(try apply(BlockSequenceEdits.appendItems(["c", "\"::1\""], to: seq, in: SourceLines(doc.bytes)), doc),
                       "k:\r\n-   a\r\n-   !secret b   # mine\r\n-   c\r\n-   \"::1\"\r\nn: 1\r\n")
        let second = try XCTUnwrap(seq.items?.last)
        XCTAssertEqual(try apply(BlockSequenceEdits.removeItem(second, in: SourceLines(doc.bytes)), doc), "k:\r\n-   a\r\nn: 1\r\n")
    }

    func testSequenceEditsRefuseFlowAndNestedDashes() throws {
        let flow = try document("k: [a, b]\n")
        XCTAssertNil(BlockSequenceEdits.appendItems(["c"], to: try XCTUnwrap(flow.root?["k"]), in: SourceLines(flow.bytes)))
        let nested = try document("k:\n  - - a\n    - b\n")
        let inner = try XCTUnwrap(nested.root?["k"]?.items?.first)
        XCTAssertNil(BlockSequenceEdits.removeItem(try XCTUnwrap(inner.items?.first), in: SourceLines(nested.bytes)))
        XCTAssertNotNil(BlockSequenceEdits.removeItem(try XCTUnwrap(inner.items?.last), in: SourceLines(nested.bytes)))
    }

    func testIndentStyleDetection() throws {
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("a:\n    b:\n        - 1\n")), YAMLIndentStyle(step: 4, indentsSequences: true))
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("a:\n  b:\n  - 1\n")), YAMLIndentStyle(step: 2, indentsSequences: false))
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("a: 1\nb: [1]\n")), .default)
    }

    func testAnchorsAliasesAndMergeKeys() throws {
        let doc = try document("base: &b\n  x: &inner 1\nuse: *b\nother:\n  <<: *b\n")
        XCTAssertEqual(doc.root?["base"]?.anchorsDefined, ["b", "inner"])
        XCTAssertEqual(doc.aliasesUsed, ["b"])
        XCTAssertTrue(doc.root?["other"]?.containsMergeKey ?? false)
        XCTAssertFalse(doc.root?["base"]?.containsMergeKey ?? true)
    }

    func testLinePositionsAndCoalescedInsertions() throws {
        let lines = SourceLines(Array("a\n\n  # c\nb".utf8))
        XCTAssertEqual(lines.lineNumber(of: 0), 1)
        XCTAssertEqual(lines.lineNumber(of: 3), 3)
        XCTAssertTrue(lines.isBlankLine(at: 2))
        XCTAssertFalse(lines.isBlankLine(at: 3))
        XCTAssertTrue(lines.onlyCommentOrBlankAfter(3))
        XCTAssertFalse(lines.onlyCommentOrBlankAfter(0))
        XCTAssertEqual(String(decoding: TextEdit.apply([lines.insertLines(["z"], at: lines.bytes.count)], to: lines.bytes), as: UTF8.self), "a\n\n  # c\nb\nz\n")
        let merged = TextEdit.coalescingInsertions([.insert("1", at: 2), TextEdit(range: 0..<1, replacement: "X"), .insert("2", at: 2)])
        XCTAssertEqual(merged.count, 2)
        XCTAssertEqual(String(decoding: TextEdit.apply(merged, to: Array("abc".utf8)), as: UTF8.self), "Xb12c")
    }
}
