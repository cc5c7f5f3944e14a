import XCTest
@testable import YAMLEdit

final class SequenceItemEditsTests: XCTestCase {
    private func apply(_ text: String, at key: String, _ make: (YAMLNode, SourceLines) -> TextEdit?) throws -> String? {
        let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        let node = try XCTUnwrap(document.root?[key])
        guard let edit = make(node, SourceLines(document.bytes)) else { return nil }
        return String(decoding: TextEdit.apply([edit], to: document.bytes), as: UTF8.self)
    }

    func testBlockAppendCopiesDashColumnAndGapAndKeepsFollowingComments() throws {
        let text = "list:\n    -  a   # first\n    -  b\n    # trailing\nnext: 1\n"
        let out = try apply(text, at: "list") { SequenceItemEdits.append(["c"], to: $0, in: $1) }
        XCTAssertEqual(out, "list:\n    -  a   # first\n    -  b\n    -  c\n    # trailing\nnext: 1\n")
    }

    func testBlockAppendAtEndOfFileWithoutNewlineAndWithCRLF() throws {
        XCTAssertEqual(try apply("list:\n- a", at: "list") { SequenceItemEdits.append(["b"], to: $0, in: $1) }, "list:\n- a\n- b\n")
        XCTAssertEqual(try apply("list:\r\n  - a\r\n", at: "list") { SequenceItemEdits.append(["b"], to: $0, in: $1) }, "list:\r\n  - a\r\n  - b\r\n")
    }

    func testSequenceItemsCopyTheDashLayoutAndCRLF() throws {
        let text = "k:\r\n-   a\r\n-   !secret b   # mine\r\nn: 1\r\n"
        XCTAssertEqual(try apply(text, at: "k") { SequenceItemEdits.append(["c", "\"::1\""], to: $0, in: $1) },
                       "k:\r\n-   a\r\n-   !secret b   # mine\r\n-   c\r\n-   \"::1\"\r\nn: 1\r\n")
        XCTAssertEqual(try apply(text, at: "k") { SequenceItemEdits.remove(itemAt: 1, from: $0, in: $1) }, "k:\r\n-   a\r\nn: 1\r\n")
    }

    func testBlockEditsWithTheItemOnTheLineAfterItsDash() throws {
        let nextLine = "k:\n  -\n    a\n  -\n    b: 1\n    c: 2\n"
        XCTAssertEqual(try apply(nextLine, at: "k") { SequenceItemEdits.append(["d"], to: $0, in: $1) }, nextLine + "  - d\n")
        XCTAssertEqual(try apply(nextLine, at: "k") { SequenceItemEdits.remove(itemAt: 0, from: $0, in: $1) }, "k:\n  -\n    b: 1\n    c: 2\n")
    }

    func testFlowAppend() throws {
        XCTAssertEqual(try apply("list: [a, b]\n", at: "list") { SequenceItemEdits.append(["c"], to: $0, in: $1) }, "list: [a, b, c]\n")
        XCTAssertEqual(try apply("list: []\n", at: "list") { SequenceItemEdits.append(["c"], to: $0, in: $1) }, "list: [c]\n")
        XCTAssertEqual(try apply("list: [\n  a,\n  b\n]\n", at: "list") { SequenceItemEdits.append(["c"], to: $0, in: $1) }, "list: [\n  a,\n  b, c\n]\n")
        XCTAssertEqual(try apply("list: []\n", at: "list") { SequenceItemEdits.append(["c", "d"], to: $0, in: $1) }, "list: [c, d]\n")
    }

    func testBlockRemoveTakesTheWholeLineAndItsCommentOnly() throws {
        let text = "list:\n  # head\n  - a\n  - b  # why b\n  # tail\n  - c\n"
        let out = try apply(text, at: "list") { SequenceItemEdits.remove(itemAt: 1, from: $0, in: $1) }
        XCTAssertEqual(out, "list:\n  # head\n  - a\n  # tail\n  - c\n")
        let last = try apply("list:\n  - a\n  - b", at: "list") { SequenceItemEdits.remove(itemAt: 1, from: $0, in: $1) }
        XCTAssertEqual(last, "list:\n  - a\n")
    }

    func testBlockRemoveOfAMultiLineItem() throws {
        let text = "list:\n  - name: a\n    port: 1\n  - b\nnext: 2\n"
        XCTAssertEqual(try apply(text, at: "list") { SequenceItemEdits.remove(itemAt: 0, from: $0, in: $1) }, "list:\n  - b\nnext: 2\n")
    }

    func testFlowRemoveFirstMiddleLastAndOnly() throws {
        let text = "list: [a, b, c]\n"
        XCTAssertEqual(try apply(text, at: "list") { SequenceItemEdits.remove(itemAt: 0, from: $0, in: $1) }, "list: [b, c]\n")
        XCTAssertEqual(try apply(text, at: "list") { SequenceItemEdits.remove(itemAt: 1, from: $0, in: $1) }, "list: [a, c]\n")
        XCTAssertEqual(try apply(text, at: "list") { SequenceItemEdits.remove(itemAt: 2, from: $0, in: $1) }, "list: [a, b]\n")
        XCTAssertEqual(try apply("list: [a]\n", at: "list") { SequenceItemEdits.remove(itemAt: 0, from: $0, in: $1) }, "list: []\n")
    }

    func testRefusesLayoutsWhereLinesAreShared() throws {
        let nested = "list:\n  - - a\n    - b\n"
        XCTAssertNil(try apply(nested, at: "list") { node, lines in
            SequenceItemEdits.remove(itemAt: 0, from: node.items![0], in: lines)
        }, "`a` shares its line with the outer dash")
        XCTAssertEqual(try apply(nested, at: "list") { node, lines in
            SequenceItemEdits.append(["c"], to: node.items![0], in: lines)
        }, "list:\n  - - a\n    - b\n    - c\n")
        XCTAssertNil(try apply("list:\n  - a\n  - b: 1\n    c: 2\n", at: "list") { node, lines in
            SequenceItemEdits.remove(itemAt: 0, from: node.items![1].pairs![1].value, in: lines)
        }, "not a sequence")
        XCTAssertNil(try apply("list: {a: 1}\n", at: "list") { SequenceItemEdits.append(["c"], to: $0, in: $1) })
        XCTAssertNil(try apply("list: [a]\n", at: "list") { SequenceItemEdits.remove(itemAt: 3, from: $0, in: $1) })
    }

    func testSequenceEditsOfFlowAndNestedDashes() throws {
        // A flow list gets a flow item (the block-only helper this replaced refused it).
        XCTAssertEqual(try apply("k: [a, b]\n", at: "k") { SequenceItemEdits.append(["c"], to: $0, in: $1) }, "k: [a, b, c]\n")
        let nested = "k:\n  - - a\n    - b\n"
        XCTAssertNil(try apply(nested, at: "k") { node, lines in SequenceItemEdits.remove(itemAt: 0, from: node.items![0], in: lines) })
        XCTAssertNotNil(try apply(nested, at: "k") { node, lines in SequenceItemEdits.remove(itemAt: 1, from: node.items![0], in: lines) })
    }

    func testRefusesAFileWhoseLinesEndInALoneCarriageReturn() throws {
        // libyaml reads `\r` as a line break but the line arithmetic follows `\n`: editing would land elsewhere.
        let text = "list:\r  - a\r  - b\rnext: 1\r"
        XCTAssertNil(try apply(text, at: "list") { SequenceItemEdits.append(["c"], to: $0, in: $1) })
        XCTAssertNil(try apply(text, at: "list") { SequenceItemEdits.remove(itemAt: 0, from: $0, in: $1) })
    }
}
