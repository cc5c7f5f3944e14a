import Foundation
@testable import HomeAssistant
import XCTest

/// When Home Assistant stops being exposed (desired == nil), or the desired networks shrink, we remove
/// what the ledger says we added, and nothing the user wrote.
final class PruneTests: XCTestCase {
    func apply(_ text: String, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger) throws -> (String, HomeAssistantEdit) {
        let input = HomeAssistantInput(configurationYAML: Array(text.utf8), storageHTTP: nil)
        let edit = try HomeAssistantPlanner.plan(input, desired: desired, ledger: ledger)
        Plan.assertIdempotent(input, edit, desired: desired)
        return (edit.newConfigurationYAML.map { String(decoding: $0, as: UTF8.self) } ?? text, edit)
    }

    func testAddThenPruneRestoresTheOriginalBytes() throws {
        for original in ["default_config:\n", "default_config:\nsun:", "", "a: 1\r\nb: 2\r\n",
                         "http:\n  server_port: 8123\n", "http:\n  use_x_forwarded_for: false\n  trusted_proxies:\n    - 10.0.0.1\n"] {
            let (added, plan) = try apply(original, desired: ProxyTrustPolicy(), ledger: .empty)
            XCTAssertNotEqual(added, original)
            let (pruned, after) = try apply(added, desired: nil, ledger: plan.ledger)
            let expected = original == "default_config:\nsun:" ? "default_config:\nsun:\n" : original  // a final newline is added once
            XCTAssertEqual(pruned, expected, "round trip of \(original.debugDescription)")
            XCTAssertEqual(after.ledger, .empty)
            XCTAssertTrue(after.needsRestart)
            if !original.isEmpty {
                Python.checkYAML(original: Array(added.utf8), edited: Array(pruned.utf8),
                                 flag: original.contains("false") ? false : nil, proxies: original.contains("10.0.0.1") ? ["10.0.0.1"] : nil,
                                 httpAbsent: !original.contains("http:"))
            }
        }
    }

    func testHandEntriesAndHandKeysStayWhenPruning() throws {
        // After our edit, the user added their own entry and a key to the block we created.
        let text = "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - \"::1\"\n    - 172.16.0.0/12\n    - 10.1.0.0/16\n  server_port: 8124\n"
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["127.0.0.1/32", "::1/128", "172.16.0.0/12"], useXForwardedForBefore: .absent,
                                         createdTrustedProxies: true, createdHTTPBlock: true)
        let (out, plan) = try apply(text, desired: nil, ledger: ledger)
        // The flag stays: Home Assistant needs both keys while the user's proxy is there.
        XCTAssertEqual(out, "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 10.1.0.0/16\n  server_port: 8124\n")
        XCTAssertEqual(plan.changes.map(\.action), [.removeTrustedProxy("127.0.0.1/32"), .removeTrustedProxy("::1/128"), .removeTrustedProxy("172.16.0.0/12")])
        Python.checkYAML(original: Array(text.utf8), edited: Array(out.utf8), flag: true, proxies: ["10.1.0.0/16"])
    }

    func testFlagWeTurnedOnIsTurnedOffAndUsersListBecomesEmpty() throws {
        let text = "http:\n  use_x_forwarded_for: true  # was no\n  trusted_proxies:\n    - 172.16.0.0/12\n"
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["172.16.0.0/12"], useXForwardedForBefore: .notTrue)
        let (out, _) = try apply(text, desired: nil, ledger: ledger)
        XCTAssertEqual(out, "http:\n  use_x_forwarded_for: false  # was no\n  trusted_proxies: []\n")
        Python.checkYAML(original: Array(text.utf8), edited: Array(out.utf8), flag: false, proxies: [])
    }

    func testShrinkingTheDesiredSetRemovesOnlyOurStaleEntry() throws {
        let text = "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 172.16.0.0/12\n    - 127.0.0.1\n    - 172.16.0.0/12\n"
        // The first 172.16.0.0/12 is the user's; the last one is ours.
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["172.16.0.0/12", "127.0.0.1/32"], createdTrustedProxies: false)
        let (out, plan) = try apply(text, desired: ProxyTrustPolicy(trustedProxies: ["127.0.0.1"]), ledger: ledger)
        XCTAssertEqual(out, "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 172.16.0.0/12\n    - 127.0.0.1\n")
        XCTAssertEqual(plan.ledger.addedTrustedProxies, ["127.0.0.1/32"])
    }

    func testEntryWeAddedAndTheUserRemovedIsAddedBackWhileDesired() throws {
        let text = "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - ::1\n"
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["172.16.0.0/12"])
        let (out, plan) = try apply(text, desired: ProxyTrustPolicy(), ledger: ledger)
        XCTAssertTrue(out.hasSuffix("    - ::1\n    - 172.16.0.0/12\n"), out)
        XCTAssertEqual(plan.ledger.addedTrustedProxies, ["172.16.0.0/12"])
    }

    func testGatewayWithoutHomeAssistantNeedsNoFiles() throws {
        let plan = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: nil, storageHTTP: nil), desired: nil, ledger: .empty)
        XCTAssertEqual(plan.changes, [])
        XCTAssertFalse(plan.needsRestart)
        // Broken files do not matter when there is nothing of ours to remove.
        let broken = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: Array("a: [".utf8), storageHTTP: Array("{".utf8)),
                                                   desired: nil, ledger: .empty)
        XCTAssertNil(broken.newConfigurationYAML)
    }

    func testPruneWhenTheFileIsGoneForgetsTheLedger() throws {
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["172.16.0.0/12"], createdHTTPBlock: true)
        let plan = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: nil, storageHTTP: nil), desired: nil, ledger: ledger)
        XCTAssertEqual(plan.ledger, .empty)
        XCTAssertFalse(plan.warnings.isEmpty)
    }

    func testLedgerRoundTripsThroughJSONAndToleratesMissingFields() throws {
        let ledger = HomeAssistantLedger(addedTrustedProxies: ["::1/128"], useXForwardedForBefore: .absent, createdTrustedProxies: true, createdHTTPBlock: true)
        let data = try JSONEncoder().encode(ledger)
        XCTAssertEqual(try JSONDecoder().decode(HomeAssistantLedger.self, from: data), ledger)
        XCTAssertEqual(try JSONDecoder().decode(HomeAssistantLedger.self, from: Data("{}".utf8)), .empty)
    }
}
