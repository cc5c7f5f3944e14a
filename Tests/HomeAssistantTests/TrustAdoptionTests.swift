import Foundation
@testable import HomeAssistant
import XCTest

/// The how-to's `http:` trust block (written by hand): adopted into the ledger only with the opt-in;
/// adopted, prune removes it like settings reconcile added. Without the opt-in it is the user's.
final class TrustAdoptionTests: XCTestCase {
    /// The gateway how-to's block, as ../shared/reference/home-assistant-http.md quotes it.
    static let howTo = """
        default_config:

        http:
          use_x_forwarded_for: true
          trusted_proxies:
            - 127.0.0.1
            - 172.16.0.0/12
            - ::1

        """

    func plan(_ text: String, desired: ProxyTrustPolicy? = ProxyTrustPolicy(), ledger: HomeAssistantLedger = .empty,
              adopt: Bool) throws -> HomeAssistantEdit {
        try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: Array(text.utf8), storageHTTP: nil),
                                      desired: desired, ledger: ledger, options: HomeAssistantPlanOptions(adopt: adopt))
    }

    func testWithoutTheOptInNothingIsAdoptedAndTheWarningSaysHow() throws {
        let edit = try plan(Self.howTo, adopt: false)
        XCTAssertTrue(edit.changes.isEmpty)
        XCTAssertNil(edit.newConfigurationYAML)
        XCTAssertEqual(edit.ledger, .empty, "never adopted silently")
        XCTAssertEqual(edit.adoptable.map(\.line), [4, 6, 7, 8])
        let warning = try XCTUnwrap(edit.adoptableWarning)
        XCTAssertTrue(warning.message.contains("in http at lines 4, 6, 7, 8 were written by hand"), warning.message)
        XCTAssertTrue(warning.hint.contains("--adopt") && warning.hint.contains("adopt: true"), warning.hint)
        // Not adopted: Home Assistant leaving the desired state leaves the user's block alone.
        XCTAssertNil(try plan(Self.howTo, desired: nil, adopt: false).newConfigurationYAML)
    }

    func testWithTheOptInTheBlockIsAdoptedThenPrunedLikeOurs() throws {
        let edit = try plan(Self.howTo, adopt: true)
        XCTAssertNil(edit.newConfigurationYAML, "adoption writes nothing")
        XCTAssertFalse(edit.needsRestart, "and restarts nothing")
        XCTAssertEqual(edit.changes.map(\.line), [4, 6, 7, 8])
        XCTAssertEqual(edit.changes.first?.action, .adopt("use_x_forwarded_for: true"))
        XCTAssertEqual(edit.changes.last?.action, .adopt("trusted_proxies entry ::1"))
        XCTAssertEqual(edit.ledger, HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "172.16.0.0/12", "::1/128"],
                                                        useXForwardedForBefore: .absent, createdTrustedProxies: true, createdHTTPBlock: true))
        XCTAssertTrue(edit.adoptable.isEmpty)
        XCTAssertNil(edit.adoptableWarning)

        // Adopted: nothing left to adopt; prune then removes the block reconcile now owns.
        let again = try plan(Self.howTo, ledger: edit.ledger, adopt: true)
        XCTAssertTrue(again.changes.isEmpty)
        let pruned = try plan(Self.howTo, desired: nil, ledger: edit.ledger, adopt: false)
        XCTAssertEqual(pruned.newConfigurationYAML.map { String(decoding: $0, as: UTF8.self) }, "default_config:\n")
        XCTAssertEqual(pruned.ledger, .empty)
    }

    func testAHandEntryTheDesiredStateDoesNotListStaysTheUsers() throws {
        let text = Self.howTo.replacingOccurrences(of: "    - ::1\n", with: "    - ::1\n    - 192.168.1.10\n  server_port: 8123\n")
        let edit = try plan(text, adopt: true)
        XCTAssertEqual(edit.changes.count, 4)
        XCTAssertFalse(edit.ledger.createdTrustedProxies, "192.168.1.10 is the user's: the key stays theirs")
        XCTAssertFalse(edit.ledger.createdHTTPBlock, "server_port is the user's: the block stays theirs")
        let pruned = try plan(text, desired: nil, ledger: edit.ledger, adopt: false)
        XCTAssertEqual(pruned.newConfigurationYAML.map { String(decoding: $0, as: UTF8.self) },
                       "default_config:\n\nhttp:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 192.168.1.10\n  server_port: 8123\n")
    }
}
