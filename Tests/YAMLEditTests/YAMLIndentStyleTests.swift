import XCTest
@testable import YAMLEdit

final class YAMLIndentStyleTests: XCTestCase {
    private func document(_ text: String) throws -> YAMLDocument { try YAMLDocument.parse(Array(text.utf8), file: "t.yaml") }

    func testIndentStyleDetection() throws {
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("a:\n    b:\n        - 1\n")), YAMLIndentStyle(step: 4, indentsSequences: true))
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("a:\n  b:\n  - 1\n")), YAMLIndentStyle(step: 2, indentsSequences: false))
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("a: 1\nb: [1]\n")), .default)
        // The mark before the first key is not indentation.
        XCTAssertEqual(YAMLIndentStyle.detect(in: try document("\u{FEFF}a:\n  b:\n  - 1\n")), YAMLIndentStyle(step: 2, indentsSequences: false))
    }

    func testChildIndent() throws {
        let text = "a:\n    b: 1\nl:\n- x\nm:\n   - y\ns: 1\n"
        let document = try document(text)
        let lines = SourceLines(document.bytes)
        let pairs = try XCTUnwrap(document.root?.pairs)
        XCTAssertEqual(pairs.map { YAMLIndentStyle.childIndent(of: $0, in: lines) }, [4, 0, 3, nil])
        // An item on the line after its dash still shows where the dash goes.
        let nextLine = try self.document("t:\n  -\n    z\n")
        XCTAssertEqual(YAMLIndentStyle.childIndent(of: try XCTUnwrap(nextLine.root?.pairs?.first), in: SourceLines(nextLine.bytes)), 2)
    }
}
