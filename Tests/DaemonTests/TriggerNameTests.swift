import Daemon
import Foundation
import StatusPage
import XCTest

/// One name per trigger: the status page's history says what `/healthz` and the metrics say.
final class TriggerNameTests: XCTestCase {
    func testTheHistoryNamesEachTriggerAsHealthzDoes() {
        for reason in TriggerReason.allCases {
            XCTAssertEqual(HistoryEntry.Trigger([reason]).rawValue, reason.rawValue, "\(reason)")
        }
        XCTAssertEqual(HistoryEntry.Trigger([.startup]), .startup, "the reconcile at start is not a timer tick")
        XCTAssertEqual(HistoryEntry.Trigger([.timer, .webhook]), .webhook, "a webhook folded in is why the commit was fetched")
    }

    /// A history saved before the webhook had its one name is still read, not dropped as unreadable.
    func testAHistoryThatSaysPushIsReadAsWebhook() throws {
        let json = #"[{"at":"t","trigger":"push","outcome":"applied","changes":[],"probes":[]},{"at":"u","trigger":"startup","outcome":"in_sync","changes":[],"probes":[]}]"#
        let history = try JSONDecoder().decode([HistoryEntry].self, from: Data(json.utf8))
        XCTAssertEqual(history.map(\.trigger), [.webhook, .startup])
        let written = try JSONEncoder().encode(history)
        XCTAssertFalse(String(decoding: written, as: UTF8.self).contains("push"))
    }
}
