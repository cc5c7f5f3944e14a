import Diagnostics
import XCTest

/// The marker's checksum is FNV-1a 64 as sixteen lower-case hex digits: markers written by any earlier
/// reconcile must keep matching, so the digits are held to published vectors.
final class ChecksumTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(Checksum.hex(Array("".utf8)), "cbf29ce484222325")
        XCTAssertEqual(Checksum.hex(Array("a".utf8)), "af63dc4c8601ec8c")
        XCTAssertEqual(Checksum.hex(Array("foobar".utf8)), "85944171f73967e8")
    }

    func testLeadingZerosAreKept() {
        XCTAssertEqual(Checksum.hex(Array("site-600".utf8)), "0037d16e7996ad65")
    }

    func testDigitsAgreeWithTheRadixFormatting() {
        for i in 0..<2_000 {
            let bytes = Array("block \(i)\n".utf8)
            let digits = String(Checksum.fnv1a64(bytes), radix: 16)
            XCTAssertEqual(Checksum.hex(bytes), String(repeating: "0", count: 16 - digits.count) + digits)
        }
    }
}
