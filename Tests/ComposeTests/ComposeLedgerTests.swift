import Compose
import Foundation
import XCTest

final class ComposeLedgerTests: XCTestCase {
    func testEntriesAreSortedUniqueAndRoundTripThroughJSON() throws {
        let ledger = ComposeLedger([.init(service: "jellyfin", dependency: "caddy"), .init(service: "ha", dependency: "caddy"),
                                    .init(service: "jellyfin", dependency: "caddy")])
        XCTAssertEqual(ledger.entries.map(\.service), ["ha", "jellyfin"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(ledger), as: UTF8.self)
        XCTAssertEqual(json, #"{"entries":[{"dependency":"caddy","service":"ha"},{"dependency":"caddy","service":"jellyfin"}]}"#)
        XCTAssertEqual(try JSONDecoder().decode(ComposeLedger.self, from: Data(json.utf8)), ledger)
    }

    func testDecodingSortsAHandEditedLedger() throws {
        let json = #"{"entries":[{"service":"z","dependency":"caddy"},{"service":"a","dependency":"caddy"}]}"#
        let ledger = try JSONDecoder().decode(ComposeLedger.self, from: Data(json.utf8))
        XCTAssertEqual(ledger.entries.map(\.service), ["a", "z"])
        XCTAssertTrue(ledger.contains(service: "z", dependency: "caddy"))
        XCTAssertFalse(ledger.contains(service: "z", dependency: "edge"))
    }
}
