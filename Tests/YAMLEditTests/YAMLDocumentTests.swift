import XCTest
@testable import YAMLEdit
import Diagnostics

final class YAMLDocumentTests: XCTestCase {
    func testScalarSpansAreByteAccurateAfterNonASCII() throws {
        let text = "# café — résumé\nname: “quoted” — ok\nhttp:\n  port: 8123\n"
        let bytes = Array(text.utf8)
        let doc = try YAMLDocument.parse(bytes, file: "t.yaml")
        let root = try XCTUnwrap(doc.root)
        let port = try XCTUnwrap(root["http"]?["port"])
        XCTAssertEqual(doc.text(of: port), "8123")
        XCTAssertEqual(port.start.line, 4)
        XCTAssertEqual(port.start.column, 9)
        XCTAssertEqual(doc.text(of: try XCTUnwrap(root["name"])), "“quoted” — ok")
    }

    func testBlockMappingEndIsItsLastScalarNotTheNextToken() throws {
        let text = "http:\n  a: 1\n  b: two\n\n# trailing comment\nnext: 3\n"
        let doc = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        let http = try XCTUnwrap(doc.root?["http"])
        XCTAssertEqual(doc.text(of: http), "a: 1\n  b: two")
    }

    func testEmptyValueIsAnchoredAfterItsColon() throws {
        let text = "http:\n  a:\nnext: 3\n"
        let doc = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        let a = try XCTUnwrap(doc.root?["http"]?["a"])
        XCTAssertEqual(a.start.offset, 10)
        XCTAssertEqual(doc.text(of: try XCTUnwrap(doc.root?["http"])), "a:")
    }

    func testTagsAnchorsAndAliasesAreKeptNotExpanded() throws {
        let text = "base: &b {x: 1}\nuse: *b\nsecret: !secret api_key\n"
        let doc = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        XCTAssertEqual(doc.root?["base"]?.anchor, "b")
        guard case .alias(let name)? = doc.root?["use"]?.kind else { return XCTFail("expected an alias") }
        XCTAssertEqual(name, "b")
        XCTAssertEqual(doc.root?["secret"]?.tag, "!secret")
        XCTAssertEqual(doc.root?["secret"]?.scalarValue, "api_key")
    }

    func testCRLFAndByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: é\r\nb: 2\r\n".utf8)
        let doc = try YAMLDocument.parse(bytes, file: "t.yaml")
        let b = try XCTUnwrap(doc.root?["b"])
        XCTAssertEqual(doc.text(of: b), "2")
        XCTAssertEqual(b.start.line, 2)
    }

    func testSyntaxErrorNamesFileLineAndColumn() {
        let text = "a: 1\nb: [1, 2\nc: 3\n"
        XCTAssertThrowsError(try YAMLDocument.parse(Array(text.utf8), file: "bad.yaml")) { error in
            let diagnostic = error as? Diagnostic
            XCTAssertEqual(diagnostic?.file, "bad.yaml")
            XCTAssertNotNil(diagnostic?.position)
            XCTAssertTrue(diagnostic?.description.hasPrefix("bad.yaml:") ?? false, "\(error)")
        }
    }

    func testDepthLimit() {
        let text = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        XCTAssertThrowsError(try YAMLDocument.parse(Array(text.utf8), file: "deep.yaml")) { error in
            XCTAssertTrue("\(error)".contains("nesting deeper"), "\(error)")
        }
    }

    func testEmptyFileHasNoRoot() throws {
        XCTAssertNil(try YAMLDocument.parse([], file: "empty.yaml").root)
    }

    func testTextEditsLeaveEverythingElseIntact() {
        let bytes = Array("abcdef".utf8)
        let out = TextEdit.apply([TextEdit(range: 4..<5, replacement: "X"), .insert("12", at: 1)], to: bytes)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "a12bcdXf")
    }

    func testCoalescedInsertionsKeepTheCallersOrder() {
        let merged = TextEdit.coalescingInsertions([.insert("1", at: 2), TextEdit(range: 0..<1, replacement: "X"), .insert("2", at: 2)])
        XCTAssertEqual(merged.count, 2)
        XCTAssertEqual(String(decoding: TextEdit.apply(merged, to: Array("abc".utf8)), as: UTF8.self), "Xb12c")
    }

    func testScalarRenderingQuotesWhatYAMLWouldMisread() throws {
        for value in ["true", "8123", "a: b", "#x", "", "plain-value", "172.16.0.0/12", "::1", "say \"hi\""] {
            let text = "k: \(YAMLScalarRendering.render(value))\n"
            let doc = try YAMLDocument.parse(Array(text.utf8), file: "r.yaml")
            XCTAssertEqual(doc.root?["k"]?.scalarValue, value, text)
        }
        XCTAssertEqual(YAMLScalarRendering.render("172.16.0.0/12"), "172.16.0.0/12")
        XCTAssertEqual(YAMLScalarRendering.render("::1"), "\"::1\"")
    }
}
