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

    /// Issue #23: `--diff` printed hand-written credentials in a Caddyfile's context lines.
    func testCredentialHeadersAndBase64BcryptHashesInACaddyfileAreMasked() {
        let mask = SecretRedaction.mask
        XCTAssertEqual(SecretRedaction.line("\t\theader_up Authorization \"Bearer eyJhbGciOi.secret\""), "\t\theader_up Authorization \(mask)")
        XCTAssertEqual(SecretRedaction.line("\theader_up authorization Bearer abc"), "\theader_up authorization \(mask)")
        XCTAssertEqual(SecretRedaction.line("\trequest_header +Cookie \"session=abc\" # for the NAS"), "\trequest_header +Cookie \(mask) # for the NAS")
        XCTAssertEqual(SecretRedaction.line("\theader_up X-Api-Key abc123"), "\theader_up X-Api-Key \(mask)")
        XCTAssertEqual(SecretRedaction.line("\theader_up X-Plex-Token abc123"), "\theader_up X-Plex-Token \(mask)")
        // The block form: `header { Authorization "Basic …" }`.
        XCTAssertEqual(SecretRedaction.line("\t\tAuthorization \"Basic dXNlcjpwYXNz\""), "\t\tAuthorization \(mask)")
        XCTAssertEqual(SecretRedaction.line("\t\t+Set-Cookie \"sid=1\""), "\t\t+Set-Cookie \(mask)")
        // caddy hash-password's output in base64, as `basicauth` took it before Caddy 2.8.
        let base64 = "JDJhJDE0JFpreDE5WExpVzZWWW91TEhSNU5tZk9GVTB6MkdUTm1wa1QvNXFxUjdoeDRJaldKUERoanZH"
        XCTAssertEqual(SecretRedaction.line("\t\tbob \(base64)"), "\t\tbob \(mask)")
        // Ordinary header lines stay readable.
        XCTAssertEqual(SecretRedaction.line("\theader_up Host {upstream_hostport}"), "\theader_up Host {upstream_hostport}")
        XCTAssertEqual(SecretRedaction.line("\theader X-Frame-Options SAMEORIGIN"), "\theader X-Frame-Options SAMEORIGIN")
        XCTAssertEqual(SecretRedaction.line("\theader_up X-Real-IP {remote_host}"), "\theader_up X-Real-IP {remote_host}")
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
