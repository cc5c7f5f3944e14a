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
        XCTAssertEqual(try apply(text, at: ["svc"]) { MappingPairEdits.append(key: "restart", value: .inline("always"), to: $0, in: $1) },
                       "svc:\n   image: x   # pinned\n   restart: always\n   # ports: disabled\nother: 1\n")
        XCTAssertEqual(try apply(text, at: ["svc"]) {
            MappingPairEdits.append(key: "depends_on", value: .block(["db:", "  condition: x"], indent: 2), to: $0, in: $1)
        }, "svc:\n   image: x   # pinned\n   depends_on:\n     db:\n       condition: x\n   # ports: disabled\nother: 1\n")
    }

    func testBlockAppendAfterANestedValueAndABlockScalar() throws {
        let nested = "svc:\n  env:\n    A: 1\nnext: 2\n"
        XCTAssertEqual(try apply(nested, at: ["svc"]) { MappingPairEdits.append(key: "b", value: .inline("2"), to: $0, in: $1) },
                       "svc:\n  env:\n    A: 1\n  b: 2\nnext: 2\n")
        let literal = "svc:\n  cmd: |\n    run\n  x: 1\n"
        XCTAssertEqual(try apply(literal, at: ["svc"]) { MappingPairEdits.append(key: "b", value: .inline("2"), to: $0, in: $1) },
                       "svc:\n  cmd: |\n    run\n  x: 1\n  b: 2\n")
        let literalLast = "svc:\n  cmd: |\n    run\nnext: 1\n"
        XCTAssertEqual(try apply(literalLast, at: ["svc"]) { MappingPairEdits.append(key: "b", value: .inline("2"), to: $0, in: $1) },
                       "svc:\n  cmd: |\n    run\n  b: 2\nnext: 1\n")
    }

    func testFlowAppend() throws {
        XCTAssertEqual(try apply("m: {a: 1}\n", at: ["m"]) { MappingPairEdits.append(key: "b", value: .inline("[x]"), to: $0, in: $1) }, "m: {a: 1, b: [x]}\n")
        XCTAssertEqual(try apply("m: {}\n", at: ["m"]) { MappingPairEdits.append(key: "b", value: .inline("2"), to: $0, in: $1) }, "m: {b: 2}\n")
        XCTAssertNil(try apply("m: {a: 1}\n", at: ["m"]) { MappingPairEdits.append(key: "b", value: .block(["- x"], indent: 2), to: $0, in: $1) })
    }

    func testBlockRemoveTakesKeyThroughLastValueLine() throws {
        let text = "svc:\n  image: x\n  depends_on:\n    - a   # note\n  # keep me\n  ports: [1]\n"
        XCTAssertEqual(try apply(text, at: ["svc"]) { MappingPairEdits.remove(pairAt: 1, from: $0, in: $1) },
                       "svc:\n  image: x\n  # keep me\n  ports: [1]\n")
        XCTAssertEqual(try apply("svc:\n  a: 1\n  b:\n", at: ["svc"]) { MappingPairEdits.remove(pairAt: 1, from: $0, in: $1) }, "svc:\n  a: 1\n")
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

    func testChildIndent() throws {
        let text = "a:\n    b: 1\nl:\n- x\nm:\n   - y\ns: 1\n"
        let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        let lines = SourceLines(document.bytes)
        let pairs = try XCTUnwrap(document.root?.pairs)
        XCTAssertEqual(pairs.map { MappingPairEdits.childIndent(of: $0, in: lines) }, [4, 0, 3, nil])
    }
}
