import XCTest
@testable import YAMLEdit

final class MappingPairEditsTests: XCTestCase {
    private func apply(_ text: String, at path: [String], _ make: (YAMLNode, SourceLines) -> TextEdit?) throws -> String? {
        let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        var node = try XCTUnwrap(document.root)
        for key in path { node = try XCTUnwrap(node[key]) }
        guard let edit = make(node, SourceLines(document.bytes)) else { return nil }
        return String(decoding: TextEdit.apply([edit], to: document.bytes), as: UTF8.self)
    }

    func testBlockAppendInlineAndBlockValuesAfterTheLastPairBeforeComments() throws {
        let text = "svc:\n   image: x   # pinned\n   # ports: disabled\nother: 1\n"
        XCTAssertEqual(try apply(text, at: ["svc"]) { MappingPairEdits.append([("restart", .inline("always"))], to: $0, in: $1) },
                       "svc:\n   image: x   # pinned\n   restart: always\n   # ports: disabled\nother: 1\n")
        XCTAssertEqual(try apply(text, at: ["svc"]) {
            MappingPairEdits.append([("depends_on", .block(["db:", "  condition: x"], indent: 2))], to: $0, in: $1)
        }, "svc:\n   image: x   # pinned\n   depends_on:\n     db:\n       condition: x\n   # ports: disabled\nother: 1\n")
    }

    func testAppendEntryGoesAfterTheLastPairAtTheKeyColumn() throws {
        let text = "a:\n  x: 1\n  y:\n    - 2  # c\n  # trailing\nb: 3\n"
        XCTAssertEqual(try apply(text, at: ["a"]) { MappingPairEdits.append([("z", .block(["- 4"], indent: 2))], to: $0, in: $1) },
                       "a:\n  x: 1\n  y:\n    - 2  # c\n  z:\n    - 4\n  # trailing\nb: 3\n")
    }

    func testAppendSeveralPairsAsOneInsertion() throws {
        let pairs: [(key: String, value: YAMLInsertedValue)] = [("f", .inline("true")), ("l", .block(["- x"], indent: 0))]
        XCTAssertEqual(try apply("a:\n  x: 1", at: ["a"]) { MappingPairEdits.append(pairs, to: $0, in: $1) }, "a:\n  x: 1\n  f: true\n  l:\n  - x\n")
        XCTAssertEqual(try apply("a: {x: 1}\n", at: ["a"]) { MappingPairEdits.append([("f", .inline("1")), ("g", .inline("[2]"))], to: $0, in: $1) },
                       "a: {x: 1, f: 1, g: [2]}\n")
        XCTAssertNil(try apply("a: {x: 1}\n", at: ["a"]) { MappingPairEdits.append(pairs, to: $0, in: $1) }, "a block value cannot go in a flow mapping")
    }

    func testBlockAppendAfterANestedValueAndABlockScalar() throws {
        let nested = "svc:\n  env:\n    A: 1\nnext: 2\n"
        XCTAssertEqual(try apply(nested, at: ["svc"]) { MappingPairEdits.append([("b", .inline("2"))], to: $0, in: $1) },
                       "svc:\n  env:\n    A: 1\n  b: 2\nnext: 2\n")
        let literal = "svc:\n  cmd: |\n    run\n  x: 1\n"
        XCTAssertEqual(try apply(literal, at: ["svc"]) { MappingPairEdits.append([("b", .inline("2"))], to: $0, in: $1) },
                       "svc:\n  cmd: |\n    run\n  x: 1\n  b: 2\n")
        let literalLast = "svc:\n  cmd: |\n    run\nnext: 1\n"
        XCTAssertEqual(try apply(literalLast, at: ["svc"]) { MappingPairEdits.append([("b", .inline("2"))], to: $0, in: $1) },
                       "svc:\n  cmd: |\n    run\n  b: 2\nnext: 1\n")
    }

    func testAppendEntryAfterABlockScalarAndAtAnUnterminatedEnd() throws {
        XCTAssertEqual(try apply("a:\n  s: |\n    text\n\n  t: 1", at: ["a"]) { MappingPairEdits.append([("u", .inline("2"))], to: $0, in: $1) },
                       "a:\n  s: |\n    text\n\n  t: 1\n  u: 2\n")
        let out = try XCTUnwrap(try apply("a:\n  s: |\n    text\nb: 1\n", at: ["a"]) { MappingPairEdits.append([("u", .inline("2"))], to: $0, in: $1) })
        XCTAssertEqual(out, "a:\n  s: |\n    text\n  u: 2\nb: 1\n")
        XCTAssertEqual(try YAMLDocument.parse(Array(out.utf8), file: "o").root?["a"]?["s"]?.scalarValue, "text\n")
    }

    func testAppendEntryInsideASequenceItemMapping() throws {
        let document = try YAMLDocument.parse(Array("- a: 1\n  b: 2\n- c: 3\n".utf8), file: "t.yaml")
        let first = try XCTUnwrap(document.root?.items?.first)
        let edit = try XCTUnwrap(MappingPairEdits.append([("z", .inline("9"))], to: first, in: SourceLines(document.bytes)))
        XCTAssertEqual(String(decoding: TextEdit.apply([edit], to: document.bytes), as: UTF8.self), "- a: 1\n  b: 2\n  z: 9\n- c: 3\n")
    }

    func testAppendAtTheTopOfAFileWithAByteOrderMark() throws {
        // The mark is three bytes before the first key but no column: new keys start at column 0.
        XCTAssertEqual(try apply("\u{FEFF}a: 1\n", at: []) { MappingPairEdits.append([("b", .inline("2"))], to: $0, in: $1) },
                       "\u{FEFF}a: 1\nb: 2\n")
    }

    func testFlowAppend() throws {
        XCTAssertEqual(try apply("m: {a: 1}\n", at: ["m"]) { MappingPairEdits.append([("b", .inline("[x]"))], to: $0, in: $1) }, "m: {a: 1, b: [x]}\n")
        XCTAssertEqual(try apply("m: {}\n", at: ["m"]) { MappingPairEdits.append([("b", .inline("2"))], to: $0, in: $1) }, "m: {b: 2}\n")
        XCTAssertNil(try apply("m: {a: 1}\n", at: ["m"]) { MappingPairEdits.append([("b", .block(["- x"], indent: 2))], to: $0, in: $1) })
    }

    func testBlockRemoveTakesKeyThroughLastValueLine() throws {
        let text = "svc:\n  image: x\n  depends_on:\n    - a   # note\n  # keep me\n  ports: [1]\n"
        XCTAssertEqual(try apply(text, at: ["svc"]) { MappingPairEdits.remove(pairAt: 1, from: $0, in: $1) },
                       "svc:\n  image: x\n  # keep me\n  ports: [1]\n")
        XCTAssertEqual(try apply("svc:\n  a: 1\n  b:\n", at: ["svc"]) { MappingPairEdits.remove(pairAt: 1, from: $0, in: $1) }, "svc:\n  a: 1\n")
    }

    func testRemovePairTakesItsLinesAndRefusesSharedLines() throws {
        XCTAssertEqual(try apply("a:\n  x: 1\n  y:\n    - 2\n    - 3\n  z: 4\n", at: ["a"]) { MappingPairEdits.remove(pairAt: 1, from: $0, in: $1) },
                       "a:\n  x: 1\n  z: 4\n")
        let shared = try YAMLDocument.parse(Array("- x: 1\n  y: 2\n".utf8), file: "t.yaml")
        let item = try XCTUnwrap(shared.root?.items?.first)
        XCTAssertNil(MappingPairEdits.remove(pairAt: 0, from: item, in: SourceLines(shared.bytes)), "the dash would go with it")
        // A flow mapping gets a flow pair (the block-only helper this replaced refused it).
        XCTAssertEqual(try apply("a: {x: 1, y: 2}\n", at: ["a"]) { MappingPairEdits.append([("z", .inline("3"))], to: $0, in: $1) },
                       "a: {x: 1, y: 2, z: 3}\n")
    }

    func testFlowRemoveKeepsSeparatorsRight() throws {
        let text = "m: {a: 1, b: 2, c: 3}\n"
        XCTAssertEqual(try apply(text, at: ["m"]) { MappingPairEdits.remove(pairAt: 0, from: $0, in: $1) }, "m: {b: 2, c: 3}\n")
        XCTAssertEqual(try apply(text, at: ["m"]) { MappingPairEdits.remove(pairAt: 2, from: $0, in: $1) }, "m: {a: 1, b: 2}\n")
        XCTAssertEqual(try apply("m: {a: 1}\n", at: ["m"]) { MappingPairEdits.remove(pairAt: 0, from: $0, in: $1) }, "m: {}\n")
    }

    func testRemoveRefusesTheFirstKeyOfASequenceItem() throws {
        XCTAssertNil(try apply("l:\n  - a: 1\n    b: 2\n", at: ["l"]) { node, lines in
            MappingPairEdits.remove(pairAt: 0, from: node.items![0], in: lines)
        })
    }

    func testRefusesAFileWhoseLinesEndInALoneCarriageReturn() throws {
        let text = "svc:\r  a: 1\r  b: 2\rnext: 3\r"
        XCTAssertNil(try apply(text, at: ["svc"]) { MappingPairEdits.append([("c", .inline("3"))], to: $0, in: $1) })
        XCTAssertNil(try apply(text, at: []) { MappingPairEdits.remove(pairAt: 0, from: $0, in: $1) }, "would take the whole file")
    }

    func testOffsetAfterColon() throws {
        let document = try YAMLDocument.parse(Array("a :  # c\n  - 1\n? b\n: 2\n".utf8), file: "t.yaml")
        let pairs = try XCTUnwrap(document.root?.pairs)
        XCTAssertEqual(pairs.map { MappingPairEdits.offsetAfterColon(following: $0.key, in: SourceLines(document.bytes)) }, [3, nil])
    }
}
