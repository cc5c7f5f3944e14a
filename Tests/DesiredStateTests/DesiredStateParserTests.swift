import XCTest
import Diagnostics
@testable import DesiredState

final class DesiredStateParserTests: XCTestCase {
    func parse(_ text: String) throws -> DesiredState {
        try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
    }

    /// Parses and returns the diagnostics, failing the test if the input was accepted.
    func problems(_ text: String, line: UInt = #line) -> [Diagnostic] {
        do {
            _ = try parse(text)
            XCTFail("expected the input to be rejected", line: line)
            return []
        } catch let list as DiagnosticList {
            return list.diagnostics
        } catch {
            XCTFail("unexpected error \(error)", line: line)
            return []
        }
    }

    func testExampleRepoParses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("example-repo/exposure.yaml")
        let state = try DesiredStateParser.parse(Array(try Data(contentsOf: url)), file: "exposure.yaml")
        XCTAssertEqual(state.domain, "mondomaine.ddnsfree.com")
        XCTAssertEqual(state.services.map(\.name), ["homeassistant", "jellyfin", "nextcloud"])
        XCTAssertEqual(state.services.map(\.fqdn), ["mondomaine.ddnsfree.com", "jellyfin.mondomaine.ddnsfree.com", "cloud.mondomaine.ddnsfree.com"])
        XCTAssertEqual(state.services[0].upstream, Upstream(host: "host.docker.internal", port: 8123))
        XCTAssertEqual(state.homeAssistant?.name, "homeassistant")
        XCTAssertEqual(state.services[1].composeService, "jellyfin")
        XCTAssertNil(state.trustedProxies)
    }

    func testAllErrorsOfAFileAreReportedWithPositions() {
        let found = problems("""
        domain: example.com
        services:
          jellyfin:
            host: jellyfin
            upstream: host.docker.internal:99999
            compose_servise: jellyfin
          nextcloud:
            hots: cloud
            upstream: nextcloud
        """)
        let text = found.map(\.description)
        XCTAssertTrue(text.contains { $0.hasPrefix("exposure.yaml:5:15:") && $0.contains("1 to 65535") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("exposure.yaml:6:5:") && $0.contains("did you mean 'compose_service'") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("exposure.yaml:8:5:") && $0.contains("did you mean 'host'") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("exposure.yaml:9:15:") && $0.contains("has no port") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("exposure.yaml:7:3:") && $0.contains("missing 'host'") }, "\(text)")
        XCTAssertEqual(found.count, 5, "\(text)")
    }

    func testHostileValuesAreRejectedBeforeTheyReachACaddyfile() {
        let hostile: [(field: String, value: String, expect: String)] = [
            ("host", "\"jelly\\nfin\"", "newline"),
            ("host", "\"a}b\"", "'}'"),
            ("host", "\"a{b\"", "'{'"),
            ("host", "\"a#b\"", "'#'"),
            ("host", "\"a b\"", "space"),
            ("host", "'x\"y'", "'\"'"),
            ("upstream", "\"h:80\\n}\\nevil.com {\"", "newline"),
            ("upstream", "\"h:80 # c\"", "space"),
            ("upstream", "'h:80\"'", "'\"'"),
            ("compose_service", "\"a}b\"", "'}'"),
        ]
        for case_ in hostile {
            var fields = ["host": "app", "upstream": "h:80"]
            fields[case_.field] = case_.value
            let extra = case_.field == "compose_service" ? "    compose_service: \(case_.value)\n" : ""
            let text = "domain: example.com\nservices:\n  app:\n    host: \(fields["host"]!)\n    upstream: \(fields["upstream"]!)\n" + extra
            let found = problems(text)
            XCTAssertEqual(found.count, 1, "\(case_) -> \(found)")
            XCTAssertTrue(found.first?.description.contains(case_.expect) ?? false, "\(case_) -> \(found)")
            XCTAssertFalse(found.first?.description.contains("\n") ?? true, "messages never carry raw newlines")
        }
        let badNames = problems("domain: example.com\nservices:\n  \"my app}\":\n    host: app\n    upstream: h:80\n")
        XCTAssertTrue(badNames.first?.description.contains("exposure.yaml:3:3") ?? false, "\(badNames)")
    }

    func testHostMustSitUnderTheDomainAndFollowDNSRules() {
        XCTAssertTrue(problems("domain: example.com\nservices:\n  a:\n    host: a.other.org\n    upstream: h:80\n")
            .first?.description.contains("not under the domain example.com") ?? false)
        XCTAssertTrue(problems("domain: example.com\nservices:\n  a:\n    host: -bad\n    upstream: h:80\n")
            .first?.description.contains("not a valid DNS label") ?? false)
        XCTAssertTrue(problems("domain: example.com\nservices:\n  a:\n    host: \(String(repeating: "x", count: 64))\n    upstream: h:80\n")
            .first?.description.contains("not a valid DNS label") ?? false)
        XCTAssertTrue(problems("domain: localhost\nservices: {}\n").first?.description.contains("not a valid domain name") ?? false)
    }

    func testFullNamesUnderTheDomainAndCaseAreNormalised() throws {
        let state = try parse("domain: Example.COM\nservices:\n  a:\n    host: Media.example.com\n    upstream: \"[::1]:8096\"\n  b:\n    host: b\n    upstream: 10.0.0.2:1\n")
        XCTAssertEqual(state.services.map(\.fqdn), ["media.example.com", "b.example.com"])
        XCTAssertEqual(state.services[0].upstream.description, "[::1]:8096")
    }

    func testTwoServicesMayNotClaimTheSameHost() {
        let found = problems("domain: example.com\nservices:\n  a:\n    host: app\n    upstream: h:80\n  b:\n    host: app.example.com\n    upstream: h:81\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].description.hasPrefix("exposure.yaml:6:3:"), "\(found)")
        XCTAssertTrue(found[0].description.contains("both claim the host app.example.com"), "\(found)")
    }

    /// Issue #23: only /0 was refused, so the internet in two halves was written as trusted proxies.
    func testTrustedProxiesMustStayInsideLoopbackAndPrivateNetworks() throws {
        let found = problems("domain: example.com\ntrusted_proxies: [0.0.0.0/1, 128.0.0.0/1, \"::/1\", \"8000::/1\", 203.0.113.7, 8.0.0.0/7, 172.0.0.0/8]\nservices: {}\n")
        XCTAssertEqual(found.map { $0.position?.column }, [19, 30, 43, 51, 63, 76, 87], "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.message.contains("reaches beyond loopback and private networks") }, "\(found)")
        let kept = try parse("domain: example.com\ntrusted_proxies: [127.0.0.1, \"::1\", 172.16.0.0/12, 10.0.0.0/8, 192.168.1.0/24, \"fd00::/8\"]\nservices: {}\n")
        XCTAssertEqual(kept.trustedProxies?.count, 6)
    }

    /// Issue #23: a 3 MB upstream came back whole in the error. Every echoed value is cut to 80 characters.
    func testHugeValuesAreNotEchoedWhole() {
        let huge = String(repeating: "a", count: 3 << 20)
        for (field, value) in [("upstream", huge + ":80"), ("upstream", "[" + huge + "]:80"), ("upstream", "h:" + huge), ("host", huge)] {
            var fields = ["host": "app", "upstream": "h:80"]
            fields[field] = value
            let found = problems("domain: example.com\nservices:\n  app:\n    host: \(fields["host"]!)\n    upstream: \(fields["upstream"]!)\n")
            XCTAssertEqual(found.count, 1, "\(field)")
            XCTAssertLessThan(found.first?.description.utf8.count ?? .max, 400, "\(field): \(found.first?.description.prefix(200) ?? "")")
        }
        let key = problems("domain: example.com\n\(huge): 1\n\(huge): 2\nservices: {}\n")
        XCTAssertTrue(key.allSatisfy { $0.description.utf8.count < 600 }, "\(key.map { $0.description.prefix(200) })")
    }

    func testDuplicateKeysAndServices() {
        let found = problems("domain: example.com\ndomain: example.org\nservices:\n  a:\n    host: a\n    host: b\n    upstream: h:80\n")
        XCTAssertEqual(found.map { $0.position?.line }, [2, 6], "\(found)")
    }

    func testTrustedProxiesRejectTheWholeInternet() {
        let found = problems("domain: example.com\ntrusted_proxies: [127.0.0.1, 0.0.0.0/0, \"::/0\", 10.0.0.0/33, nonsense]\nservices: {}\n")
        XCTAssertEqual(found.count, 4, "\(found)")
        XCTAssertTrue(found[0].description.contains("every address on the internet"))
    }

    func testTagsAliasesAndWrongShapes() {
        XCTAssertTrue(problems("domain: !secret d\nservices: {}\n").first?.description.contains("tags") ?? false)
        XCTAssertTrue(problems("domain: &d example.com\nservices:\n  a:\n    host: *d\n    upstream: h:80\n").first?.description.contains("aliases") ?? false)
        XCTAssertTrue(problems("- a\n- b\n").first?.description.contains("expected a mapping") ?? false)
        XCTAssertTrue(problems("domain: example.com\nservices: [a]\n").first?.description.contains("expected a mapping of service names") ?? false)
        XCTAssertTrue(problems("domain: example.com\nservices:\n  a:\n    host: a\n    upstream: h:80\n    home_assistant: yes\n").first?.description.contains("true or false") ?? false)
    }

    func testMalformedYAMLIsOneDiagnosticWithPosition() {
        let found = problems("domain: example.com\nservices:\n  a: {host: a\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertNotNil(found[0].position)
        XCTAssertTrue(found[0].description.contains("invalid YAML"))
    }

    func testAtMostOneHomeAssistant() {
        let found = problems("domain: example.com\nservices:\n  a:\n    host: a\n    upstream: h:80\n    home_assistant: true\n  b:\n    host: b\n    upstream: h:81\n    home_assistant: true\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].description.contains("more than one service"), "\(found)")
    }

    func testNullServicesMeansNothingExposed() throws {
        XCTAssertEqual(try parse("domain: example.com\nservices:\n  # all commented out\n").services, [])
        XCTAssertTrue(problems("domain: example.com\nservices: nothing\n").first?.description.contains("found a scalar") ?? false)
    }

    func testServiceLimit() {
        var text = "domain: example.com\nservices:\n"
        for i in 0..<11 { text += "  s\(i):\n    host: s\(i)\n    upstream: h:80\n" }
        XCTAssertThrowsError(try DesiredStateParser.parse(Array(text.utf8), file: "e.yaml", limits: DesiredStateLimits(maxServices: 10)))
    }
}
