import XCTest
@testable import Planner

final class SecretRedactionTests: XCTestCase {
    func testBcryptHashesAndNamedSecretsAreMaskedAndTheRestKept() {
        let hash = "$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG"
        XCTAssertEqual(SecretRedaction.line("\t\tadmin \(hash)"), "\t\tadmin \(SecretRedaction.mask)")
        XCTAssertEqual(SecretRedaction.line("  api_password: hunter2 # mine"), "  api_password: \(SecretRedaction.mask) # mine")
        XCTAssertEqual(SecretRedaction.line("      - DB_PASSWORD=hunter2"), "      - DB_PASSWORD=\(SecretRedaction.mask)")
        XCTAssertEqual(SecretRedaction.line("\"access_token\": \"abc.def\","), "\"access_token\": \(SecretRedaction.mask),")
        XCTAssertEqual(SecretRedaction.line("token: 'x y'"), "token: \(SecretRedaction.mask)")
        // A reference names a secret without holding it; ordinary settings stay readable.
        XCTAssertEqual(SecretRedaction.line("  ssl_key: !secret ssl_key"), "  ssl_key: !secret ssl_key")
        XCTAssertEqual(SecretRedaction.line("  password: !secret db_password"), "  password: !secret db_password")
        XCTAssertEqual(SecretRedaction.line("  trusted_proxies: [127.0.0.1, ::1]"), "  trusted_proxies: [127.0.0.1, ::1]")
        XCTAssertEqual(SecretRedaction.line("\treverse_proxy host.docker.internal:8096"), "\treverse_proxy host.docker.internal:8096")
    }

    func testTheDiffMasksSecretsInContextLines() {
        let old = Array("site {\n\tbasicauth {\n\t\tadmin $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG\n\t}\n}\n".utf8)
        let new = old + Array("\nadded {\n}\n".utf8)
        let diff = UnifiedDiff.render(old: old, new: new, path: "Caddyfile")
        XCTAssertFalse(diff.contains("Zkx19"), diff)
        XCTAssertTrue(diff.contains("admin \(SecretRedaction.mask)"), diff)
        XCTAssertTrue(diff.contains("+added {"), diff)
    }
}
