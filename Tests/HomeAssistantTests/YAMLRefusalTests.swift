import Diagnostics
@testable import HomeAssistant
import XCTest

/// What the planner will not edit without guessing: a Diagnostic with file:line:column and a hint,
/// never a value of the user's (a `!secret` name included).
final class YAMLRefusalTests: XCTestCase {
    func refusal(_ text: String, desired: ProxyTrustPolicy? = ProxyTrustPolicy(), ledger: HomeAssistantLedger = .empty,
                 file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        do {
            let plan = try Plan.yaml(text, desired: desired, ledger: ledger)
            XCTFail("expected a refusal, got \(Plan.text(plan.newConfigurationYAML))", file: file, line: line)
            return nil
        } catch {
            let diagnostic = error as? Diagnostic
            XCTAssertNotNil(diagnostic?.hint, "\(error)", file: file, line: line)
            return diagnostic
        }
    }

    func testHTTPIncludeIsReportedWithWhatToDo() throws {
        let diagnostic = try XCTUnwrap(refusal("# proxy\nhttp: !include http.yaml\nsun:\n"))
        XCTAssertEqual(diagnostic.file, "configuration.yaml")
        XCTAssertEqual(diagnostic.position, .init(line: 2, column: 7))
        XCTAssertTrue(diagnostic.message.contains("!include http.yaml"), diagnostic.message)
        XCTAssertTrue(diagnostic.hint?.contains("trusted_proxies: [127.0.0.1, \"::1\", 172.16.0.0/12]") ?? false, "\(diagnostic)")
        XCTAssertTrue(diagnostic.description.hasPrefix("configuration.yaml:2:7: "), diagnostic.description)
    }

    func testAliasAnchoredAndFlowMappingHTTPAreRefused() throws {
        XCTAssertTrue(refusal("base: &h\n  server_port: 8123\nhttp: *h\n")?.message.contains("alias (*h)") ?? false)
        XCTAssertTrue(refusal("http: &h\n  server_port: 8123\nother: *h\n")?.message.contains("anchored as &h") ?? false)
        XCTAssertTrue(refusal("http: {server_port: 8123}\n")?.message.contains("flow mapping") ?? false)
        XCTAssertTrue(refusal("base: &b {server_port: 1}\nhttp:\n  <<: *b\n")?.message.contains("merge key") ?? false)
        XCTAssertTrue(refusal("http:\n  trusted_proxies: &p\n    - 10.0.0.1\nlist: *p\n")?.message.contains("anchored as &p") ?? false)
    }

    func testSecretsInOurKeysAreRefusedWithoutPrintingThem() throws {
        for text in ["http:\n  use_x_forwarded_for: !secret very_private_flag\n",
                     "http:\n  trusted_proxies: !secret very_private_flag\n  use_x_forwarded_for: true\n",
                     "http:\n  trusted_proxies: !env_var very_private_flag\n",
                     "http: !secret very_private_flag\n"] {
            let diagnostic = try XCTUnwrap(refusal(text))
            XCTAssertFalse(diagnostic.description.contains("very_private"), diagnostic.description)
            XCTAssertEqual(diagnostic.position?.line, text.hasPrefix("http: !") ? 1 : 2)
        }
    }

    func testSecretsElsewhereInHTTPNeverAppearInThePlan() throws {
        let text = "http:\n  ssl_key: !secret very_private_key\n  server_port: !secret very_private_port\n"
        let plan = try Plan.yaml(text)
        let printed = (plan.changes.map(\.description) + plan.warnings + [plan.modeReason.explanation]).joined(separator: "\n")
        XCTAssertFalse(printed.contains("very_private"), printed)
        XCTAssertTrue(Plan.text(plan.newConfigurationYAML).hasPrefix(text), "the secrets stay as they were")
    }

    func testMalformedShapesAreRefused() throws {
        XCTAssertTrue(refusal("- a\n- b\n")?.message.contains("top level") ?? false)
        XCTAssertTrue(refusal("http:\n  - a\n")?.message.contains("a list") ?? false)
        XCTAssertTrue(refusal("http:\n  server_port: 1\nhttp:\n  server_port: 2\n")?.position?.line == 3)
        XCTAssertTrue(refusal("http:\n  trusted_proxies:\n    a: 1\n")?.message.contains("expects a list") ?? false)
        XCTAssertTrue(refusal("http:\n  use_x_forwarded_for: [true]\n")?.message.contains("not true or false") ?? false)
        XCTAssertTrue(refusal("http:\n  trusted_proxies: [10.0.0.1,\n    10.0.0.2]\n")?.message.contains("laid out") ?? false)
        XCTAssertTrue(refusal("http:\n  use_x_forwarded_for: true\n  use_x_forwarded_for: false\n")?.message.contains("more than once") ?? false)
    }

    func testUnparseableOrMissingConfiguration() throws {
        let broken = try XCTUnwrap(refusal("http:\n  server_port: [8123\nsun:\n"))
        XCTAssertEqual(broken.file, "configuration.yaml")
        XCTAssertNotNil(broken.position)
        XCTAssertThrowsError(try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                                           desired: ProxyTrustPolicy(), ledger: .empty)) { error in
            XCTAssertTrue("\(error)".contains("configuration.yaml not found"), "\(error)")
        }
    }

    func testBroadOrMalformedDesiredProxiesAreRejectedBeforeReadingFiles() {
        for bad in [["0.0.0.0/0"], ["::/0"], ["10.0.0.1/8"], ["nonsense"], []] {
            XCTAssertThrowsError(try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                                               desired: ProxyTrustPolicy(trustedProxies: bad), ledger: .empty), "\(bad)") { error in
                XCTAssertFalse("\(error)".contains("configuration.yaml not found"), "\(error)")
            }
        }
    }
}
