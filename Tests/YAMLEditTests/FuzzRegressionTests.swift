import Foundation
import XCTest
@testable import YAMLEdit

/// Inputs the fuzzer found (Fuzz/Regressions/fuzz-yaml/), replayed through the same checks as the
/// fuzz target: each once broke YAMLSpanCheck's idea of a scalar's source text.
final class YAMLFuzzRegressionTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions/fuzz-yaml")

    func testEveryRegressionInputHasExactMarksAndTakesEdits() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        XCTAssertGreaterThanOrEqual(files.count, 14, "the committed regression inputs are missing")
        for name in files {
            let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
            let document = try YAMLDocument.parse(bytes, file: name)
            XCTAssertEqual(YAMLSpanCheck.problems(document), [], name)
            XCTAssertEqual(YAMLSpanCheck.replacementProblems(document), [], name)
            XCTAssertEqual(YAMLCollectionEditCheck.problems(document, limit: 1_000), [], name)
        }
    }

    /// `[-, b ]` without its last item would be `[- ]`, where the dash reads as a block indicator.
    func testAFlowRemovalThatLeavesALoneDashBeforeASpaceIsDeclined() throws {
        let document = try YAMLDocument.parse(Array("- [-, -? ]\n".utf8), file: "t.yaml")
        let flow = try XCTUnwrap(document.root?.items?.first)
        XCTAssertNil(SequenceItemEdits.remove(itemAt: 1, from: flow, in: SourceLines(document.bytes)))
        // Without the space before the bracket, the same removal is fine.
        let tight = try YAMLDocument.parse(Array("- [-, -?]\n".utf8), file: "t.yaml")
        let edit = try XCTUnwrap(SequenceItemEdits.remove(itemAt: 1, from: try XCTUnwrap(tight.root?.items?.first), in: SourceLines(tight.bytes)))
        XCTAssertEqual(String(decoding: TextEdit.apply([edit], to: tight.bytes), as: UTF8.self), "- [-]\n")
    }

    /// A lone `\r` is a line break to YAML but not to the editors' line arithmetic (`-\r|-` once got an
    /// item appended inside its block scalar): every surgical edit declines such a file.
    func testFilesWithALoneCarriageReturnTakeNoSurgicalEdits() throws {
        for text in ["-\r|-\n", "a: 1\rb: 2\n", "- x\r- y\n"] {
            let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
            let root = try XCTUnwrap(document.root)
            let source = SourceLines(document.bytes)
            XCTAssertTrue(source.hasLoneCarriageReturn, text.debugDescription)
            if root.items != nil {
                XCTAssertNil(SequenceItemEdits.append(["x"], to: root, in: source), text.debugDescription)
                XCTAssertNil(SequenceItemEdits.remove(itemAt: 0, from: root, in: source), text.debugDescription)
            } else {
                XCTAssertNil(MappingPairEdits.append([(key: "k", value: .inline("v"))], to: root, in: source), text.debugDescription)
                XCTAssertNil(MappingPairEdits.remove(pairAt: 0, from: root, in: source), text.debugDescription)
            }
        }
        // CRLF files are edited as before.
        let crlf = try YAMLDocument.parse(Array("- x\r\n- y\r\n".utf8), file: "t.yaml")
        XCTAssertFalse(SourceLines(crlf.bytes).hasLoneCarriageReturn)
        XCTAssertNotNil(SequenceItemEdits.append(["z"], to: try XCTUnwrap(crlf.root), in: SourceLines(crlf.bytes)))
    }

    /// Appending after a block scalar that ends a file without a final newline would change the scalar
    /// (the line ending the append needs becomes part of it): the editors decline.
    func testAppendsAfterABlockScalarEndingTheFileWithoutNewlineAreDeclined() throws {
        for text in ["- >\n {", "a:\n  b: |\n    x", "a: 1\nb: >-\n  folded"] {
            let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
            let root = try XCTUnwrap(document.root)
            let source = SourceLines(document.bytes)
            if root.items != nil {
                XCTAssertNil(SequenceItemEdits.append(["x"], to: root, in: source), text.debugDescription)
            } else {
                XCTAssertNil(MappingPairEdits.append([(key: "k", value: .inline("v"))], to: root, in: source), text.debugDescription)
            }
            // With the final newline there, the append is fine.
            let ended = try YAMLDocument.parse(Array((text + "\n").utf8), file: "t.yaml")
            XCTAssertEqual(YAMLCollectionEditCheck.problems(ended), [], text.debugDescription)
        }
    }

    /// `[!, 2]` is YAML but `[!]` is not (libyaml wants a space or a line break after a tag there): a flow
    /// collection holding a bare tag or anchor is not edited.
    func testFlowCollectionsWithABareTagAreNotEdited() throws {
        let document = try YAMLDocument.parse(Array("[!,2]".utf8), file: "t.yaml")
        let root = try XCTUnwrap(document.root)
        XCTAssertNil(SequenceItemEdits.remove(itemAt: 1, from: root, in: SourceLines(document.bytes)))
        XCTAssertNil(SequenceItemEdits.append(["3"], to: root, in: SourceLines(document.bytes)))
        let plain = try YAMLDocument.parse(Array("[a, 2]".utf8), file: "t.yaml")
        XCTAssertNotNil(SequenceItemEdits.remove(itemAt: 1, from: try XCTUnwrap(plain.root), in: SourceLines(plain.bytes)))
    }

    /// Removing `q,` from `{\nq,---\n}` would start a line with `---`, a document marker: declined.
    func testAFlowRemovalThatWouldStartALineWithADocumentMarkerIsDeclined() throws {
        let document = try YAMLDocument.parse(Array("{\nq,---\n}".utf8), file: "t.yaml")
        XCTAssertNil(MappingPairEdits.remove(pairAt: 0, from: try XCTUnwrap(document.root), in: SourceLines(document.bytes)))
        let fine = try YAMLDocument.parse(Array("{\nq, r\n}".utf8), file: "t.yaml")
        XCTAssertNotNil(MappingPairEdits.remove(pairAt: 0, from: try XCTUnwrap(fine.root), in: SourceLines(fine.bytes)))
    }

    /// `?` alone on a line makes the next line an explicit key: appending a plain pair there breaks the file.
    func testAMappingWithAnExplicitKeyOnItsOwnLineIsNotAppendedTo() throws {
        let document = try YAMLDocument.parse(Array("?\n x".utf8), file: "t.yaml")
        XCTAssertNil(MappingPairEdits.append([(key: "k", value: .inline("v"))], to: try XCTUnwrap(document.root), in: SourceLines(document.bytes)))
    }

    /// Removing the pair after a block scalar keeps the comment lines around it, which would then be
    /// indented lines of the scalar: declined.
    func testRemovingThePairAfterABlockScalarIsDeclined() throws {
        let document = try YAMLDocument.parse(Array("a: >\n text\nb: 1\n # note\nc: 2\n".utf8), file: "t.yaml")
        let root = try XCTUnwrap(document.root)
        XCTAssertNil(MappingPairEdits.remove(pairAt: 1, from: root, in: SourceLines(document.bytes)))
        XCTAssertNotNil(MappingPairEdits.remove(pairAt: 2, from: root, in: SourceLines(document.bytes)))
    }

    func testMarksAcrossALoneCarriageReturnTagCommentAndMidStreamByteOrderMark() throws {
        let cases: [(String, String)] = [
            ("{ key: [[[\n  va\ree\n ]]]\n}\n", "va ee"),
            ("tie-fighter: '|\\-*\r/|'\n", "|\\-* /|"),
            ("- !!map # a comment\n  foo>\n Block scalar\n", "foo> Block scalar"),
            ("---\n&a1\n!!str\n\u{FEFF}lar1\n", "lar1"),
            ("{[a, &b \u{FEFF}b]: 1}\n", "\u{FEFF}b"),
        ]
        for (text, value) in cases {
            let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
            XCTAssertTrue(YAMLSpanCheck.scalars(document).contains { $0.scalarValue == value }, "\(text.debugDescription): no scalar \(value.debugDescription)")
            XCTAssertEqual(YAMLSpanCheck.problems(document), [], text.debugDescription)
        }
    }
}
