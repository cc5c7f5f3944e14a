import Compose
import XCTest

/// Prune: what reconcile added goes when a service leaves the desired state, and nothing else does.
final class ComposePlannerPruneTests: XCTestCase {
    func testPruningEverythingWeAddedRestoresTheOriginalBytes() throws {
        let added = try plan(gatewayCompose, exposed: ["homeassistant", "jellyfin", "nextcloud"])
        let pruned = try plan(text(added.newBytes), exposed: [], ledger: added.ledger)
        XCTAssertEqual(text(pruned.newBytes), gatewayCompose)
        XCTAssertEqual(pruned.ledger, .empty)
        XCTAssertEqual(pruned.recreates, ["homeassistant", "jellyfin", "nextcloud"])
        XCTAssertEqual(pruned.wouldBringUp, ["homeassistant", "jellyfin", "nextcloud"], "nothing exposed: the proxy is not needed")
        XCTAssertEqual(pruned.changes.map(\.action), [.removed, .removed, .removed])
        XCTAssertEqual(pruned.changes.map(\.wholeKey), [false, true, false])
        try ExternalChecks.verify(try XCTUnwrap(pruned.newBytes), expect: [
            "homeassistant": .short(["zigbee2mqtt"]), "jellyfin": .none, "nextcloud": .long(["db": "service_healthy"]),
        ])
    }

    func testPruningOneServiceLeavesTheOthers() throws {
        let added = try plan(gatewayCompose, exposed: ["homeassistant", "jellyfin"])
        let pruned = try plan(text(added.newBytes), exposed: ["homeassistant"], ledger: added.ledger)
        let expected = gatewayCompose.replacingOccurrences(of: "      - zigbee2mqtt\n", with: "      - zigbee2mqtt\n      - caddy\n")
        XCTAssertEqual(text(pruned.newBytes), expected)
        XCTAssertEqual(pruned.ledger, ComposeLedger([.init(service: "homeassistant", dependency: "caddy")]))
        XCTAssertEqual(pruned.changes.map(\.service), ["jellyfin"])
        XCTAssertEqual(pruned.changes.first?.line, 45, "a removal reports its line in the file before the edit")
        XCTAssertEqual(pruned.recreates, ["jellyfin"])
    }

    func testUserWrittenCaddyStaysWhenTheServiceLeaves() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  homeassistant:\n    image: ha\n    depends_on: [zigbee2mqtt, caddy]\n  zigbee2mqtt:\n    image: z\n"
        let exposed = try plan(source, exposed: ["homeassistant"])
        let left = try plan(source, exposed: [], ledger: exposed.ledger)
        XCTAssertNil(left.newBytes)
        XCTAssertEqual(left.changes, [])
    }

    func testFlowItemsAreRemovedWithTheirSeparator() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  ha:\n    image: ha\n    depends_on: [caddy, z]\n  z:\n    image: z\n  n:\n    image: n\n    depends_on: {z: {condition: service_started}, caddy: {condition: service_started}}\n  j: {image: j, depends_on: [caddy]}\n"
        let ledger = ComposeLedger([.init(service: "ha", dependency: "caddy"), .init(service: "n", dependency: "caddy"),
                                    .init(service: "j", dependency: "caddy")])
        let pruned = try plan(source, exposed: [], ledger: ledger)
        XCTAssertEqual(text(pruned.newBytes), source
            .replacingOccurrences(of: "[caddy, z]", with: "[z]")
            .replacingOccurrences(of: ", caddy: {condition: service_started}}", with: "}")
            .replacingOccurrences(of: "{image: j, depends_on: [caddy]}", with: "{image: j}"))
        try ExternalChecks.verify(try XCTUnwrap(pruned.newBytes), expect: [
            "ha": .short(["z"]), "n": .long(["z": "service_started"]), "j": .none,
        ])
    }

    func testACommentOnTheRemovedItemsLineGoesWithItOthersStay() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  ha:\n    image: ha\n    depends_on:\n      # first the radio\n      - z\n      - caddy   # for the proxy\n      # end\n  z:\n    image: z\n"
        let pruned = try plan(source, exposed: [], ledger: ComposeLedger([.init(service: "ha", dependency: "caddy")]))
        XCTAssertEqual(text(pruned.newBytes), source.replacingOccurrences(of: "      - caddy   # for the proxy\n", with: ""))
    }

    func testAlreadyRemovedByHandOrServiceGoneJustForgetsTheEntry() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  ha:\n    image: ha\n"
        let ledger = ComposeLedger([.init(service: "ha", dependency: "caddy"), .init(service: "gone", dependency: "caddy")])
        let pruned = try plan(source, exposed: [], ledger: ledger)
        XCTAssertNil(pruned.newBytes)
        XCTAssertEqual(pruned.ledger, .empty)
    }

    func testRemovedByHandWhileStillExposedIsAddedBack() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  ha:\n    image: ha\n"
        let edit = try plan(source, exposed: ["ha"], ledger: ComposeLedger([.init(service: "ha", dependency: "caddy")]))
        XCTAssertEqual(text(edit.newBytes), source + "    depends_on:\n      - caddy\n")
        XCTAssertEqual(edit.ledger, ComposeLedger([.init(service: "ha", dependency: "caddy")]))
    }

    func testRenamedProxyReplacesTheNameWeAddedInPlace() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  edge:\n    image: caddy\n  ha:\n    image: ha\n    depends_on:\n      - caddy\n      - z\n  z:\n    image: z\n"
        let edit = try plan(source, exposed: ["ha"], proxy: "edge", ledger: ComposeLedger([.init(service: "ha", dependency: "caddy")]))
        XCTAssertEqual(text(edit.newBytes), source.replacingOccurrences(of: "      - caddy\n", with: "      - edge\n"))
        XCTAssertEqual(edit.ledger, ComposeLedger([.init(service: "ha", dependency: "edge")]))
        XCTAssertEqual(edit.changes.map(\.action), [.removed, .added])
        XCTAssertEqual(edit.changes.map(\.line), [9, 9])
    }
}
