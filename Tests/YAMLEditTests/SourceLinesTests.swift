@testable import YAMLEdit
import XCTest

final class SourceLinesTests: XCTestCase {
    func testLinePositions() throws {
        let lines = SourceLines(Array("a\n\n  # c\nb".utf8))
        XCTAssertEqual(lines.lineNumber(of: 0), 1)
        XCTAssertEqual(lines.lineNumber(of: 3), 3)
        XCTAssertTrue(lines.isBlankLine(at: 2))
        XCTAssertFalse(lines.isBlankLine(at: 3))
        XCTAssertTrue(lines.onlyCommentOrBlankAfter(3))
        XCTAssertFalse(lines.onlyCommentOrBlankAfter(0))
        XCTAssertEqual(String(decoding: TextEdit.apply([lines.insertLines(["z"], at: lines.bytes.count)], to: lines.bytes), as: UTF8.self), "a\n\n  # c\nb\nz\n")
    }

    func testWhereALineAfterANodeStarts() throws {
        let lines = SourceLines(Array("k: |\n  x\nm: 1  # c\r\nn: 2\ro: 3".utf8))
        XCTAssertTrue(lines.endsItsLine(9), "a block scalar ends after its line break")
        XCTAssertEqual(lines.lineAfter(offset: 9), 9)
        XCTAssertTrue(lines.endsItsLine(13), "only a comment follows")
        XCTAssertEqual(lines.lineAfter(offset: 13), 20)
        XCTAssertFalse(lines.endsItsLine(24), "a lone \\r is not a line ending here")
        XCTAssertTrue(lines.endsItsLine(29), "the end of the file")
    }
}
