@testable import HomeAssistant
import XCTest

/// YAML mode: the surgical edit of configuration.yaml's http: block, checked by PyYAML and a line diff.
final class YAMLModeTests: XCTestCase {
    let defaults = ["127.0.0.1", "::1", "172.16.0.0/12"]

    /// Plan, then check with PyYAML, the line diff and idempotence; returns the new text.
    @discardableResult
    func edit(_ text: String, flag: Bool? = true, proxies: [String]?, ledger: HomeAssistantLedger = .empty,
              file: StaticString = #filePath, line: UInt = #line) throws -> (String, HomeAssistantEdit) {
        let input = HomeAssistantInput(configurationYAML: Array(text.utf8), storageHTTP: nil)
        let edit = try HomeAssistantPlanner.plan(input, desired: ProxyTrustPolicy(), ledger: ledger)
        let output = try XCTUnwrap(edit.newConfigurationYAML, "expected a change", file: file, line: line)
        XCTAssertEqual(edit.mode, .yaml, file: file, line: line)
        XCTAssertTrue(edit.needsRestart, file: file, line: line)
        XCTAssertFalse(edit.mustStopBeforeWriting, file: file, line: line)
        Python.checkYAML(original: Array(text.utf8), edited: output, flag: flag, proxies: proxies, file: file, line: line)
        LineDiff.assertOnlyHTTPBlockChanged(Array(text.utf8), output, file: file, line: line)
        Plan.assertIdempotent(input, edit, desired: ProxyTrustPolicy(), file: file, line: line)
        return (String(decoding: output, as: UTF8.self), edit)
    }

    func testMinimalFileGetsAnHTTPBlockAtTheEnd() throws {
        let (text, plan) = try edit("default_config:\n", proxies: defaults)
        XCTAssertEqual(text, """
        default_config:

        http:
          use_x_forwarded_for: true
          trusted_proxies:
            - 127.0.0.1
            - "::1"
            - 172.16.0.0/12

        """)
        XCTAssertEqual(plan.ledger, HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "::1/128", "172.16.0.0/12"],
                                                        useXForwardedForBefore: .absent, createdTrustedProxies: true, createdHTTPBlock: true))
        XCTAssertEqual(plan.changes.first?.action, .addHTTPBlock)
        XCTAssertEqual(plan.changes.first?.line, 2)
        XCTAssertTrue(plan.modeReason.explanation.contains("does not exist"), plan.modeReason.explanation)
    }

    func testEmptyFileAndFileWithoutFinalNewline() throws {
        let (empty, _) = try edit("", proxies: defaults)
        XCTAssertTrue(empty.hasPrefix("http:\n  use_x_forwarded_for: true\n"), empty)
        let (unterminated, _) = try edit("default_config:\nsun:", proxies: defaults)
        XCTAssertTrue(unterminated.hasPrefix("default_config:\nsun:\n\nhttp:\n"), unterminated)
    }

    func testCRLFFileGetsCRLFLines() throws {
        let (out, _) = try edit("default_config:\r\nhttp:\r\n  server_port: 8123\r\n", proxies: defaults)
        XCTAssertEqual(out, "default_config:\r\nhttp:\r\n  server_port: 8123\r\n  use_x_forwarded_for: true\r\n  trusted_proxies:\r\n"
                       + "    - 127.0.0.1\r\n    - \"::1\"\r\n    - 172.16.0.0/12\r\n")
        let (appended, _) = try edit("sun:\r\n", proxies: defaults)
        XCTAssertFalse(appended.replacingOccurrences(of: "\r\n", with: "").contains("\n"), appended)
    }

    func testByteOrderMarkIsNotIndentation() throws {
        // The mark is three bytes before the first key but no column: http: goes at column 0.
        let added = "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n"
        XCTAssertEqual(try edit("\u{FEFF}homeassistant:\n  name: Home\n", proxies: defaults).0, "\u{FEFF}homeassistant:\n  name: Home\n\n" + added)
        XCTAssertEqual(try edit("\u{FEFF}a: 1\n...\n", proxies: defaults).0, "\u{FEFF}a: 1\n" + added + "...\n")
    }

    func testHandWrittenTrustEverythingIsKeptButWarnedAbout() throws {
        let plan = try Plan.yaml("http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 0.0.0.0/0\n    - ::/0\n")
        XCTAssertNil(plan.newConfigurationYAML, "these already cover the desired networks")
        XCTAssertTrue(plan.warnings.contains { $0.contains("0.0.0.0/0") }, "\(plan.warnings)")
    }

    func testHTTPWithOtherKeysGetsBothSettingsAfterTheLastKey() throws {
        let text = "http:\n  server_port: 8123  # keep\n  ip_ban_enabled: true\n\nsun:\n"
        let (out, plan) = try edit(text, proxies: defaults)
        XCTAssertEqual(out, "http:\n  server_port: 8123  # keep\n  ip_ban_enabled: true\n  use_x_forwarded_for: true\n  trusted_proxies:\n"
                       + "    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n\nsun:\n")
        XCTAssertFalse(plan.ledger.createdHTTPBlock)
        XCTAssertEqual(plan.changes.map(\.line), [4, 4, 4, 4, 4])
    }

    func testWrongValuesAreFixedInPlaceKeepingHandEntriesAndComments() throws {
        let text = """
        http:
          use_x_forwarded_for: no   # off for now
          trusted_proxies:
            - 192.168.1.0/24  # LAN
            - 127.0.0.1
          server_port: 8123
        recorder:

        """
        let (out, plan) = try edit(text, proxies: ["192.168.1.0/24", "127.0.0.1", "::1", "172.16.0.0/12"])
        XCTAssertEqual(out, """
        http:
          use_x_forwarded_for: true   # off for now
          trusted_proxies:
            - 192.168.1.0/24  # LAN
            - 127.0.0.1
            - "::1"
            - 172.16.0.0/12
          server_port: 8123
        recorder:

        """)
        // 127.0.0.1 was the user's: not in the ledger, so prune will leave it.
        XCTAssertEqual(plan.ledger.addedTrustedProxies, ["::1/128", "172.16.0.0/12"])
        XCTAssertEqual(plan.ledger.useXForwardedForBefore, .notTrue)
        XCTAssertEqual(plan.changes.map(\.line), [2, 6, 6])
    }

    func testAlreadyRightMeansNoChangeAndNoRestart() throws {
        for text in [
            "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - ::1\n    - 172.16.0.0/12\n",
            "http:\n  use_x_forwarded_for: yes\n  trusted_proxies: [127.0.0.1/32, '::1', 172.16.0.0/12]\n",
            "http:\n  use_x_forwarded_for: \"true\"\n  trusted_proxies:\n  - 172.16.0.0/12\n  - 127.0.0.0/8\n  - ::1\n",
        ] {
            let plan = try Plan.yaml(text)
            XCTAssertNil(plan.newConfigurationYAML, text)
            XCTAssertEqual(plan.changes, [], text)
            XCTAssertFalse(plan.needsRestart, text)
            XCTAssertEqual(plan.ledger, .empty, text)
        }
    }

    func testEmptyHTTPValueIsFilledUnderItsKey() throws {
        let (out, _) = try edit("http:   # proxy settings below\nsun:\n", proxies: defaults)
        XCTAssertTrue(out.hasPrefix("http:   # proxy settings below\n  use_x_forwarded_for: true\n"), out)
        let (tilde, _) = try edit("http: ~\nsun:\n", proxies: defaults)
        XCTAssertTrue(tilde.hasPrefix("http:\n  use_x_forwarded_for: true\n"), tilde)
    }

    func testFlowListAndScalarListAreRewrittenWithinTheirSpan() throws {
        let (flow, _) = try edit("http:\n  use_x_forwarded_for: true\n  trusted_proxies: [10.0.0.1, '::1']  # mine\n",
                                 proxies: ["10.0.0.1", "::1", "127.0.0.1", "172.16.0.0/12"])
        XCTAssertEqual(flow, "http:\n  use_x_forwarded_for: true\n  trusted_proxies: [10.0.0.1, '::1', 127.0.0.1, 172.16.0.0/12]  # mine\n")
        let (scalar, _) = try edit("http:\n  use_x_forwarded_for: true\n  trusted_proxies: 10.0.0.1\n",
                                   proxies: ["10.0.0.1", "127.0.0.1", "::1", "172.16.0.0/12"])
        XCTAssertEqual(scalar, "http:\n  use_x_forwarded_for: true\n  trusted_proxies: [10.0.0.1, 127.0.0.1, \"::1\", 172.16.0.0/12]\n")
    }

    func testEmptyTrustedProxiesAndEmptyFlagValues() throws {
        let (out, _) = try edit("http:\n  use_x_forwarded_for:\n  trusted_proxies:\n  server_port: 8123\n", proxies: defaults)
        XCTAssertEqual(out, "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n  server_port: 8123\n")
    }

    func testFileIndentationStyleIsFollowed() throws {
        // Four-space indentation and indentless sequences in the user's file.
        let text = "recorder:\n    exclude:\n        domains:\n        - sun\nhttp:\n    server_port: 8123\n"
        let (out, _) = try edit(text, proxies: defaults)
        XCTAssertTrue(out.hasSuffix("http:\n    server_port: 8123\n    use_x_forwarded_for: true\n    trusted_proxies:\n    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n"), out)
    }

    func testUnreadableHandEntriesAreKeptAndNeverMatched() throws {
        let text = "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - !secret proxy_ip\n    - not-an-address\n"
        let plan = try Plan.yaml(text)
        XCTAssertEqual(Plan.text(plan.newConfigurationYAML), text + "    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n")
        XCTAssertFalse(plan.changes.map(\.description).joined().contains("proxy_ip"))
    }

    func testStorageFileWithoutMigrationStillMeansYAMLMode() throws {
        let storage = #"{"version": 2, "minor_version": 1, "key": "http", "data": {"stable": {}, "pending": null, "yaml_migration_done": false}}"#
        let plan = try Plan.yaml("sun:\n", storage: storage)
        XCTAssertEqual(plan.mode, .yaml)
        XCTAssertNotNil(plan.newConfigurationYAML)
        XCTAssertTrue(plan.modeReason.explanation.contains("yaml_migration_done is not true"), plan.modeReason.explanation)
        XCTAssertTrue(plan.warnings.contains { $0.contains("data.pending") })
    }

    func testChangesDescribeFileLineAndSetting() throws {
        let plan = try Plan.yaml("http:\n  use_x_forwarded_for: false\n  trusted_proxies:\n    - 127.0.0.1\n    - ::1\n")
        XCTAssertEqual(plan.changes.map(\.description), [
            "configuration.yaml:2: http: set use_x_forwarded_for to true",
            "configuration.yaml:6: http: trust proxy 172.16.0.0/12",
        ])
    }
}
