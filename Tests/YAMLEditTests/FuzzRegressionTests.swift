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
        XCTAssertGreaterThanOrEqual(files.count, 5, "the committed regression inputs are missing")
        for name in files {
            let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
            let document = try YAMLDocument.parse(bytes, file: name)
            XCTAssertEqual(YAMLSpanCheck.problems(document), [], name)
            XCTAssertEqual(YAMLSpanCheck.replacementProblems(document), [], name)
        }
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
