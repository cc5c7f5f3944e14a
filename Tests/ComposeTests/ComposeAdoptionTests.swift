import Compose
import XCTest

/// A `depends_on: [caddy]` the user wrote (a gateway set up by hand): adopted into the ledger only
/// with the opt-in, never silently; adopted, prune removes it like an entry reconcile added.
final class ComposeAdoptionTests: XCTestCase {
    static let handWritten = gatewayCompose.replacingOccurrences(of: "      - zigbee2mqtt\n", with: "      - zigbee2mqtt\n      - caddy\n")

    func adoptPlan(_ source: String, exposed: [String], ledger: ComposeLedger = .empty, adopt: Bool) throws -> ComposeEdit {
        try ComposePlanner.plan(bytes(source), file: "docker-compose.yml", exposed: exposed, ledger: ledger, adopt: adopt)
    }

    func testWithoutTheOptInTheEntryStaysTheUsersAndIsReported() throws {
        let edit = try adoptPlan(Self.handWritten, exposed: ["homeassistant"], adopt: false)
        XCTAssertNil(edit.newBytes)
        XCTAssertTrue(edit.changes.isEmpty)
        XCTAssertEqual(edit.ledger, .empty, "never adopted silently")
        // The line after homeassistant's `- zigbee2mqtt` (not the caddy service's own `networks: [caddy]`).
        let line = Self.handWritten.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(of: "      - zigbee2mqtt")! + 2
        XCTAssertEqual(edit.adoptable.map(\.line), [line])
        XCTAssertEqual(edit.adoptable.map(\.service), ["homeassistant"])
        // And it is never pruned: the service leaves, the user's line stays.
        let gone = try adoptPlan(Self.handWritten, exposed: [], adopt: false)
        XCTAssertNil(gone.newBytes)
    }

    func testWithTheOptInItIsAdoptedThenPrunedLikeOurs() throws {
        let edit = try adoptPlan(Self.handWritten, exposed: ["homeassistant", "jellyfin"], adopt: true)
        XCTAssertEqual(edit.changes.map(\.action).sorted { $0.rawValue < $1.rawValue }, [.added, .adopted])
        let adopted = try XCTUnwrap(edit.changes.first { $0.action == .adopted })
        XCTAssertEqual(adopted.service, "homeassistant")
        XCTAssertTrue(adopted.description.contains("prune will remove it"), adopted.description)
        XCTAssertEqual(edit.recreates, ["jellyfin"], "adoption writes and restarts nothing")
        XCTAssertTrue(edit.ledger.contains(service: "homeassistant", dependency: "caddy"))
        XCTAssertTrue(edit.adoptable.isEmpty)

        // Adopted: the next plan has nothing to adopt, and prune takes the line away.
        let after = try XCTUnwrap(edit.newBytes)
        let again = try adoptPlan(text(after), exposed: ["homeassistant", "jellyfin"], ledger: edit.ledger, adopt: true)
        XCTAssertTrue(again.changes.isEmpty)
        let pruned = try adoptPlan(text(after), exposed: [], ledger: edit.ledger, adopt: false)
        XCTAssertEqual(text(pruned.newBytes), gatewayCompose)
        XCTAssertEqual(pruned.ledger, .empty)
    }
}
