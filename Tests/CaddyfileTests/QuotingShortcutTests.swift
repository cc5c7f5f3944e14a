@testable import Caddyfile
import XCTest

/// `Quoting.isPlainBare` decides common tokens without a copy: it may only say bare where `isBareSafe` does.
final class QuotingShortcutTests: XCTestCase {
    func testThePlainBareShortcutNeverDisagreesWithIsBareSafe() {
        var tokens = ["", "reverse_proxy", "host.docker.internal:8096", "{http.request.host}", "<<EOF", "a<<b", "#x", "x#",
                      "header_up", "X-Forwarded-For", "é", "a\u{7F}", "-Server", "max-age=31536000;"]
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        tokens += ascii
        for a in ascii { for b in ascii { tokens.append(a + b) } }
        var shortcuts = 0
        for token in tokens where Quoting.isPlainBare(token.utf8) {
            shortcuts += 1
            XCTAssertTrue(Quoting.isBareSafe(Array(token.utf8)), token.debugDescription)
        }
        XCTAssertGreaterThan(shortcuts, 7_000, "the shortcut takes the plain tokens (89 printable bytes, squared)")
        XCTAssertTrue(Quoting.isPlainBare("host.docker.internal:8096".utf8))
        XCTAssertFalse(Quoting.isPlainBare("<<EOF".utf8))
        XCTAssertTrue(Quoting.isPlainBare("a<<b".utf8))
        XCTAssertEqual(Quoting.form(of: "{http.request.host}"), .bare, "placeholders still go the long way, to bare")
    }
}
