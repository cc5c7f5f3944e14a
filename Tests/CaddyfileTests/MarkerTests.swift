@testable import Caddyfile
import XCTest

/// Marker comments are read bytewise when ASCII (every one we write): the same answers as by characters.
final class MarkerTests: XCTestCase {
    func testASCIIMarkersReadBytewiseAsByCharacters() {
        let hex = "0123456789abcdef"
        let comments = [
            "# managed by reconcile: jellyfin checksum=\(hex)",
            "# managed by reconcile:\tjellyfin\t checksum=\(hex)  ",
            "# managed by reconcile: jellyfin",
            "# managed by reconcile:",
            "# managed by reconcile:   \t ",
            "# managed by reconcile: jellyfin checksum=0123456789ABCDEF",
            "# managed by reconcile: jellyfin checksum=0123456789abcde",
            "# managed by reconcile: jellyfin checksum=0123456789abcdefa",
            "# managed by reconcile: jellyfin checksum=0123456789abcdeg",
            "# managed by reconcile: jellyfin checksum= \(hex)",
            "# managed by reconcile: jellyfin checksum=\(hex) extra",
            "# managed by reconcile: jellyfin checksums=\(hex)",
            "# managed by reconcile:jellyfin checksum=\(hex)",
            "# managed by reconcile: a\rb checksum=\(hex)",
            "# managed by reconciler: jellyfin",
            "# not a marker",
        ]
        for comment in comments {
            XCTAssertEqual(Marker.parseASCII(comment), Marker.parseCharacters(comment), comment)
            XCTAssertEqual(Marker.parse(comment), Marker.parseCharacters(comment), comment)
        }
        XCTAssertEqual(Marker.parse(comments[1]), Marker.Parsed(name: "jellyfin", checksum: hex))
        XCTAssertEqual(Marker.parse(comments[5]), Marker.Parsed(name: "jellyfin", checksum: nil))
        // Not ASCII: by characters, where a space carrying a combining mark separates nothing.
        XCTAssertEqual(Marker.parse("# managed by reconcile: café \u{301}x"), Marker.Parsed(name: "café \u{301}x", checksum: nil))
    }
}
