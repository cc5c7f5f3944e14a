@testable import Caddyfile
import XCTest

/// `CaddyfileEditor.sameBytes` answers as `elementsEqual` on the slice does.
final class SameBytesTests: XCTestCase {
    func testSameBytesAgreesWithElementsEqual() {
        let bytes = Array("abc\ndef\n".utf8)
        let cases: [(Range<Int>, [UInt8])] = [
            (0..<3, Array("abc".utf8)), (0..<3, Array("abd".utf8)), (0..<3, Array("ab".utf8)), (4..<8, Array("def\n".utf8)),
            (4..<8, Array("deg\n".utf8)), (8..<8, []), (0..<0, Array("a".utf8)), (0..<8, bytes),
        ]
        for (range, other) in cases {
            XCTAssertEqual(CaddyfileEditor.sameBytes(bytes, range, other), bytes[range].elementsEqual(other), "\(range) \(other)")
        }
    }
}
