import XCTest
import Diagnostics
@testable import DesiredState

/// `access`, `basic_auth`, `headers`, `maintenance`, `own_login` and `external_ports`.
final class ExposureFieldsTests: XCTestCase {
    let hash = "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"  // caddy hash-password --plaintext secret

    func parse(_ service: String, top: String = "") throws -> DesiredState {
        try DesiredStateParser.parse(Array(("domain: example.com\n" + top + "services:\n  app:\n    host: app\n    upstream: 127.0.0.1:8080\n" + service).utf8),
                                     file: "exposure.yaml")
    }

    func problems(_ service: String, top: String = "", line: UInt = #line) -> [Diagnostic] {
        do {
            _ = try parse(service, top: top)
            XCTFail("expected the input to be rejected", line: line)
        } catch let list as DiagnosticList {
            return list.diagnostics
        } catch {
            XCTFail("unexpected \(error)", line: line)
        }
        return []
    }

    func testAServiceThatDeclaresNothingNewKeepsTheDefaults() throws {
        let state = try parse("")
        XCTAssertTrue(state.services[0].exposure.isDefault)
        XCTAssertEqual(state.externalPorts, ExternalPorts())
    }

    func testAllFieldsParse() throws {
        let state = try parse("""
            access: [192.168.1.0/255.255.255.0, 203.0.113.7, "2001:db8::/32"]
            basic_auth:
              alice: "\(hash)"
              bob.smith: '\(hash)'
            headers:
              Referrer-Policy: null
              X-Frame-Options: SAMEORIGIN
            maintenance: true
            own_login: true

        """, top: "external_ports: {https: 8443, http: none}\n")
        let exposure = state.services[0].exposure
        XCTAssertEqual(exposure.access, .networks(["192.168.1.0/24", "203.0.113.7/32", "2001:db8::/32"]))
        XCTAssertEqual(exposure.accessPosition, SourcePosition(line: 7, column: 13))
        XCTAssertEqual(exposure.basicAuth.map(\.user), ["alice", "bob.smith"])
        XCTAssertEqual(exposure.headers, [HeaderOverride(name: "Referrer-Policy", value: nil), HeaderOverride(name: "X-Frame-Options", value: "SAMEORIGIN")])
        XCTAssertTrue(exposure.maintenance)
        XCTAssertTrue(exposure.ownLogin)
        XCTAssertEqual(state.externalPorts.https, 8443)
        XCTAssertNil(state.externalPorts.http)
        XCTAssertEqual(try parse("    access: lan\n").services[0].exposure.access, .lan)
        XCTAssertEqual(try parse("    access: public\n").services[0].exposure.access, .public)
    }

    func testPlaintextPasswordIsRefusedWithHowToHashAndIsNotEchoed() {
        let found = problems("    basic_auth:\n      alice: hunter2secret\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found[0].description.hasPrefix("exposure.yaml:7:14: basic_auth for 'alice' is not a bcrypt hash"), true, found[0].description)
        XCTAssertTrue(found[0].hint?.contains("caddy hash-password") ?? false, "\(found)")
        XCTAssertFalse(found[0].description.contains("hunter2secret"), "the password must not be printed")
        // A hash with its last character cut is not a hash either.
        XCTAssertEqual(problems("    basic_auth:\n      alice: \"\(hash.dropLast())\"\n").count, 1)
    }

    func testBadValuesAreReportedWithPositions() {
        let found = problems("""
            access: [10.0.0.1/33, 0.0.0.0/0]
            headers:
              "X-Bad Name": a
              X-Evil: "{http.request.header.Cookie}"
            maintenance: yes-please

        """)
        XCTAssertEqual(found.map { $0.position?.line }, [6, 6, 8, 9, 10], "\(found)")
        XCTAssertTrue(found[1].message.contains("that is access: public"), found[1].message)
        XCTAssertTrue(found[3].message.contains("not allowed"), found[3].message)
        XCTAssertTrue(found[4].message.contains("maintenance must be true or false"), found[4].message)

        let single = problems("    access: 192.168.1.0/24\n")
        XCTAssertEqual(single.first?.hint, "write a list: access: [192.168.1.0/24]")
        XCTAssertEqual(problems("    access: []\n").first?.message.contains("refuse everyone"), true)
        XCTAssertEqual(problems("", top: "external_ports: {https: 0}\n").first?.position?.line, 2)
        XCTAssertEqual(problems("", top: "external_ports: {htps: 443}\n").first?.hint, "did you mean 'https'?")
    }

    /// Issue #23 (high): a header named `import` became `import FILE` inside `header { … }`, and Caddy 2.11.7
    /// served the file's contents as response headers; `defer` and `match` are the block's subdirectives.
    func testHeaderNamesThatCaddyReadsAsItsOwnWordsAreRefusedWithTheirPosition() {
        for name in ["import", "Import", "IMPORT", "defer", "Defer", "match", "MATCH"] {
            let found = problems("    headers:\n      \(name): /etc/caddy/secret\n")
            XCTAssertEqual(found.count, 1, "\(name): \(found)")
            XCTAssertTrue(found.first?.description.hasPrefix("exposure.yaml:7:7: '\(name)' cannot be a header name") ?? false,
                          "\(name): \(found)")
        }
        // Caddy's header operations (+add, ?default, >defer, -delete) never pass the name rule.
        for name in ["+X-Add", "?X-Default", ">X-Deferred", "-Strict-Transport-Security"] {
            XCTAssertEqual(problems("    headers:\n      \"\(name)\": a\n").first?.position?.line, 7, name)
        }
        // Names that merely contain those words stay allowed.
        XCTAssertEqual(try parse("    headers:\n      Import-Map: a\n      X-Match: b\n").services[0].exposure.headers.map(\.name),
                       ["Import-Map", "X-Match"])
    }

    func testABasicAuthUserNamedImportIsRefused() {
        for user in ["import", "Import"] {
            let found = problems("    basic_auth:\n      \(user): \"\(hash)\"\n")
            XCTAssertEqual(found.count, 1, "\(user): \(found)")
            XCTAssertTrue(found.first?.description.hasPrefix("exposure.yaml:7:7: basic_auth user '\(user)' cannot be written") ?? false,
                          "\(user): \(found)")
        }
    }
}
