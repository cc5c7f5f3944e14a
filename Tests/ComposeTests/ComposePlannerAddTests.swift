import Compose
import XCTest

/// Adding the proxy to depends_on, in each form a user writes, with every other byte kept.
final class ComposePlannerAddTests: XCTestCase {
    func testGatewayAddsCaddyInEachServicesOwnFormAndKeepsEverythingElse() throws {
        let edit = try plan(gatewayCompose, exposed: ["homeassistant", "jellyfin", "nextcloud"])
        let expected = gatewayCompose
            .replacingOccurrences(of: "      - zigbee2mqtt\n", with: "      - zigbee2mqtt\n      - caddy\n")
            .replacingOccurrences(of: "    network_mode: host\n    # media lives", with: "    network_mode: host\n    depends_on:\n      - caddy\n    # media lives")
            .replacingOccurrences(of: "        condition: service_healthy\n", with: "        condition: service_healthy\n      caddy:\n        condition: service_started\n")
        XCTAssertEqual(text(edit.newBytes), expected)
        XCTAssertEqual(edit.recreates, ["homeassistant", "jellyfin", "nextcloud"])
        XCTAssertEqual(edit.wouldBringUp, ["caddy", "homeassistant", "jellyfin", "nextcloud"])
        XCTAssertEqual(edit.ledger.entries.map(\.service), ["homeassistant", "jellyfin", "nextcloud"])
        XCTAssertEqual(edit.changes.map(\.form), [.short, .short, .long])
        XCTAssertEqual(edit.changes.map(\.wholeKey), [false, true, false])
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: [
            "homeassistant": .short(["zigbee2mqtt", "caddy"]),
            "jellyfin": .short(["caddy"]),
            "nextcloud": .long(["db": "service_healthy", "caddy": "service_started"]),
            "caddy": .none, "zigbee2mqtt": .none, "db": .none,
        ])
    }

    func testChangesReportTheLineOfCaddyInTheNewFile() throws {
        let edit = try plan(gatewayCompose, exposed: ["homeassistant", "jellyfin"])
        let lines = text(edit.newBytes).split(separator: "\n", omittingEmptySubsequences: false)
        for change in edit.changes {
            XCTAssertEqual(lines[change.line - 1].trimmingCharacters(in: .whitespaces), "- caddy", "\(change)")
        }
        XCTAssertEqual(edit.changes.first?.description, "homeassistant: add caddy to depends_on, short form, line 32")
    }

    func testConvergedFileIsUnchangedAndKeepsItsLedger() throws {
        let first = try plan(gatewayCompose, exposed: ["homeassistant", "jellyfin"])
        let second = try plan(text(first.newBytes), exposed: ["homeassistant", "jellyfin"], ledger: first.ledger)
        XCTAssertNil(second.newBytes)
        XCTAssertEqual(second.changes, [])
        XCTAssertEqual(second.recreates, [])
        XCTAssertEqual(second.wouldBringUp, ["caddy"])
        XCTAssertEqual(second.ledger, first.ledger)
    }

    func testFileWithoutVersionLineStaysWithoutOne() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  jellyfin:\n    image: jellyfin/jellyfin\n"
        let edit = try plan(source, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source + "    depends_on:\n      - caddy\n")
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: ["jellyfin": .short(["caddy"])])
    }

    func testFlowFormsStayFlow() throws {
        let source = """
        services:
          caddy: {image: caddy}
          homeassistant:
            image: ha
            depends_on: [zigbee2mqtt]   # radio first
          zigbee2mqtt: {image: z2m}
          nextcloud:
            image: nextcloud
            depends_on: {db: {condition: service_healthy}}
          db: {image: mariadb, healthcheck: {test: ["CMD", "true"]}}
          jellyfin: {image: jellyfin, network_mode: host}

        """
        let edit = try plan(source, exposed: ["homeassistant", "nextcloud", "jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source
            .replacingOccurrences(of: "[zigbee2mqtt]", with: "[zigbee2mqtt, caddy]")
            .replacingOccurrences(of: "{db: {condition: service_healthy}}", with: "{db: {condition: service_healthy}, caddy: {condition: service_started}}")
            .replacingOccurrences(of: "network_mode: host}", with: "network_mode: host, depends_on: [caddy]}"))
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: [
            "homeassistant": .short(["zigbee2mqtt", "caddy"]),
            "nextcloud": .long(["db": "service_healthy", "caddy": "service_started"]),
            "jellyfin": .short(["caddy"]),
        ])
    }

    func testEmptyFlowListGetsTheNameInside() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  jellyfin:\n    image: j\n    depends_on: []\n"
        let edit = try plan(source, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source.replacingOccurrences(of: "[]", with: "[caddy]"))
    }

    func testEmptyDependsOnGetsAFlowListOnItsLine() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  jellyfin:\n    image: j\n    depends_on:\n    restart: always\n"
        let edit = try plan(source, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source.replacingOccurrences(of: "depends_on:\n", with: "depends_on: [caddy]\n"))
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: ["jellyfin": .short(["caddy"])])
    }

    func testNewKeyUsesTheLongFormWhenTheFileDoes() throws {
        let source = """
        services:
            caddy:
                image: caddy
            nextcloud:
                image: nextcloud
                depends_on:
                    db:
                        condition: service_healthy
            db:
                image: mariadb
                healthcheck:
                    test: ["CMD", "true"]
            jellyfin:
                image: jellyfin

        """
        let edit = try plan(source, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source.replacingOccurrences(of: "        image: jellyfin\n",
            with: "        image: jellyfin\n        depends_on:\n            caddy:\n                condition: service_started\n"))
        XCTAssertEqual(edit.changes.first?.form, .long)
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: ["jellyfin": .long(["caddy": "service_started"])])
    }

    func testIndentlessListsAndOddDashSpacingAreCopied() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  homeassistant:\n    image: ha\n    depends_on:\n    -   zigbee2mqtt\n  zigbee2mqtt:\n    image: z\n  jellyfin:\n    image: j\n"
        let edit = try plan(source, exposed: ["homeassistant", "jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source
            .replacingOccurrences(of: "    -   zigbee2mqtt\n", with: "    -   zigbee2mqtt\n    -   caddy\n")
            .replacingOccurrences(of: "    image: j\n", with: "    image: j\n    depends_on:\n    - caddy\n"))
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: [
            "homeassistant": .short(["zigbee2mqtt", "caddy"]), "jellyfin": .short(["caddy"]),
        ])
    }

    func testCRLFFileGetsCRLFLinesAndAFileWithoutFinalNewlineGetsOne() throws {
        let crlf = "services:\r\n  caddy:\r\n    image: caddy\r\n  jellyfin:\r\n    image: j\r\n"
        let edit = try plan(crlf, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit.newBytes), crlf + "    depends_on:\r\n      - caddy\r\n")

        let unterminated = "services:\n  caddy:\n    image: caddy\n  jellyfin:\n    image: j"
        let edit2 = try plan(unterminated, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit2.newBytes), unterminated + "\n    depends_on:\n      - caddy\n")
        try ExternalChecks.verify(try XCTUnwrap(edit2.newBytes), expect: ["jellyfin": .short(["caddy"])])
    }

    func testUserWrittenCaddyIsConvergedAndNotRecordedAsOurs() throws {
        let source = "services:\n  caddy:\n    image: caddy\n  homeassistant:\n    image: ha\n    depends_on: [zigbee2mqtt, caddy]\n  zigbee2mqtt:\n    image: z\n"
        let edit = try plan(source, exposed: ["homeassistant"])
        XCTAssertNil(edit.newBytes)
        XCTAssertEqual(edit.ledger, .empty, "a dependency the user wrote is never ours")
    }

    func testMergedDependsOnThatHasCaddyIsConverged() throws {
        let source = """
        x-proxied: &proxied
          depends_on:
            - caddy
        services:
          caddy:
            image: caddy
          jellyfin:
            <<: *proxied
            image: j

        """
        let edit = try plan(source, exposed: ["jellyfin"])
        XCTAssertNil(edit.newBytes)
        XCTAssertEqual(edit.ledger, .empty)
    }

    func testMergeKeysAndAnchorsElsewhereAreUntouched() throws {
        let source = """
        x-base: &base
          restart: unless-stopped
        services:
          caddy:
            <<: *base
            image: caddy
          jellyfin:
            <<: *base
            image: j

        """
        let edit = try plan(source, exposed: ["jellyfin"])
        XCTAssertEqual(text(edit.newBytes), source + "    depends_on:\n      - caddy\n")
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: ["jellyfin": .short(["caddy"]), "caddy": .none])
    }

    func testProxyNameThatNeedsQuotesIsQuoted() throws {
        let source = "services:\n  \"443\":\n    image: caddy\n  jellyfin:\n    image: j\n    depends_on:\n      - 'db'\n  db:\n    image: m\n"
        let edit = try plan(source, exposed: ["jellyfin"], proxy: "443")
        XCTAssertEqual(text(edit.newBytes), source.replacingOccurrences(of: "      - 'db'\n", with: "      - 'db'\n      - \"443\"\n"))
        try ExternalChecks.verify(try XCTUnwrap(edit.newBytes), expect: ["jellyfin": .short(["db", "443"])])
    }

    func testServicesListsNamesInFileOrder() throws {
        XCTAssertEqual(try ComposePlanner.services(in: bytes(gatewayCompose), file: "f.yml"),
                       ["caddy", "homeassistant", "zigbee2mqtt", "jellyfin", "nextcloud", "db"])
    }
}
