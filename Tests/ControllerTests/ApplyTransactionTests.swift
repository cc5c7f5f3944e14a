import XCTest
import Adapters
import Compose
import Planner
import TestSupport
@testable import Controller

/// The transaction's order and every rollback path, with in-memory doubles for Caddy, Compose, Home
/// Assistant, the files and the probes. The real adapters have their own tests against the real things.
final class ApplyTransactionTests: XCTestCase {
    static let caddyfile = "/g/Caddyfile", compose = "/g/docker-compose.yml"
    static let storage = "/g/homeassistant/.storage/http", configuration = "/g/homeassistant/configuration.yaml"
    static let before: [String: [UInt8]] = [caddyfile: Array("old caddy".utf8), compose: Array("old compose".utf8),
                                            storage: Array("old http".utf8), configuration: Array("old yaml".utf8)]

    /// A Caddyfile change, a compose change that brings up caddy and jellyfin, and Home Assistant's
    /// settings in storage mode (stop, write, start) or YAML mode (write, restart).
    func plan(storageMode: Bool) -> Plan { Self.plan(storageMode: storageMode) }

    static func plan(storageMode: Bool) -> Plan {
        let haPath = storageMode ? Self.storage : Self.configuration
        func change(_ subject: String) -> PlannedChange { PlannedChange(kind: .change, subject: subject, summary: subject, reason: "test") }
        var ledger = Ledger.empty
        ledger.compose = ComposeLedger([ComposeLedger.Entry(service: "jellyfin", dependency: "caddy")])
        return Plan(
            desired: DesiredSummary(file: "exposure.yaml", domain: "example.com", services: ["jellyfin", "ha"],
                                    hosts: [ExposedHost(service: "jellyfin", host: "media.example.com", upstream: "h:1", isHomeAssistant: false),
                                            ExposedHost(service: "ha", host: "example.com", upstream: "h:2", isHomeAssistant: true)]),
            targets: [
                TargetPlan(kind: .caddyfile, path: Self.caddyfile, changes: [change("jellyfin")],
                           currentContent: Self.before[Self.caddyfile], newContent: Array("new caddy".utf8)),
                TargetPlan(kind: .homeAssistant, path: haPath, changes: [change("trusted_proxies")],
                           restart: ServiceRestart(mode: storageMode ? .stopWriteStart : .restart, services: ["homeassistant"], reason: "test"),
                           currentContent: Self.before[haPath], newContent: Array("new ha".utf8)),
                TargetPlan(kind: .compose, path: Self.compose, changes: [change("jellyfin")],
                           restart: ServiceRestart(mode: .composeUp, services: ["caddy", "jellyfin"], reason: "test"),
                           currentContent: Self.before[Self.compose], newContent: Array("new compose".utf8)),
            ],
            ledger: ledger, previousLedger: .empty)
    }

    final class Gateway: @unchecked Sendable {
        let journal = WorldJournal()
        let caddy: InMemoryCaddyDouble
        let homeAssistant: InMemoryHomeAssistantDouble
        let files: InMemoryFileStoreDouble
        let ledger: InMemoryLedgerDouble
        var ledgers: [Ledger] { ledger.lock.withLock { ledger.saved } }

        init() {
            ledger = InMemoryLedgerDouble(journal: journal)
            caddy = InMemoryCaddyDouble(journal: journal, running: ApplyTransactionTests.before[ApplyTransactionTests.caddyfile])
            homeAssistant = InMemoryHomeAssistantDouble(journal: journal)
            files = InMemoryFileStoreDouble(journal: journal, files: ApplyTransactionTests.before)
        }

        var world: ApplyWorld {
            ApplyWorld(files: files, caddy: caddy, compose: InMemoryComposeDouble(journal: journal), homeAssistant: homeAssistant,
                       prober: HostProbeDouble(journal: journal), ledger: ledger)
        }
    }

    static let storageOrder = [
        "file.check \(caddyfile)", "file.check \(storage)", "file.check \(compose)", "caddy.validate", "compose.validate",
        "file.backup \(caddyfile)", "file.backup \(compose)",
        "ha.stop", "file.read \(storage)", "file.backup \(storage)", "file.write \(caddyfile)", "file.write \(storage)", "file.write \(compose)", "ledger.save",
        "caddy.load", "compose.up caddy jellyfin", "ha.start", "probe media.example.com", "probe example.com",
    ]

    func testStorageModeStopsHomeAssistantWritesThenStartsItAndEverythingRunsInOrder() throws {
        let gateway = Gateway()
        let outcome = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: true))
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(gateway.journal.entries, Self.storageOrder)
        XCTAssertEqual(gateway.caddy.running, Array("new caddy".utf8))
        XCTAssertEqual(gateway.files.contents[Self.storage], Array("new ha".utf8))
        XCTAssertTrue(gateway.homeAssistant.running)
        XCTAssertEqual(gateway.homeAssistant.wrongState, [])
        XCTAssertEqual(gateway.ledgers, [plan(storageMode: true).ledger])
    }

    /// Each call failing in turn: a check fails before anything changes (thrown: the plan is refused);
    /// any later failure puts back every file, the ledger, Caddy's config and a running Home Assistant.
    func testEachStepFailingInTurnLeavesTheGatewayAsItWas() throws {
        for storageMode in [true, false] {
            let order = try happyOrder(storageMode: storageMode)
            for failing in order {
                let gateway = Gateway()
                gateway.journal.fail(failing)
                let context = "\(storageMode ? "storage" : "YAML") mode, \(failing) failing"
                do {
                    let outcome = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: storageMode))
                    XCTAssertFalse(failing.hasPrefix("file.check") || failing.hasSuffix(".validate"), "\(context): a failed check is thrown")
                    XCTAssertEqual(outcome.result, .rolledBack, "\(context): \(outcome.rollbackFailure ?? "")")
                    XCTAssertNotNil(outcome.failedStep, context)
                    XCTAssertNotNil(outcome.failure, context)
                } catch {
                    XCTAssertTrue(failing.hasPrefix("file.check") || failing.hasSuffix(".validate"), "\(context): only checks throw, got \(error)")
                }
                XCTAssertEqual(gateway.files.contents, Self.before, "\(context): every file is as it was")
                XCTAssertEqual(gateway.caddy.running, Self.before[Self.caddyfile], "\(context): Caddy runs the old config")
                XCTAssertTrue(gateway.homeAssistant.running, "\(context): Home Assistant runs")
                XCTAssertEqual(gateway.homeAssistant.wrongState, [], "\(context): never started twice or stopped twice")
                XCTAssertEqual(gateway.ledgers.last ?? .empty, .empty, "\(context): the ledger is the old one")
            }
        }
    }

    /// Storage mode, failing at the probe: Home Assistant is stopped before its old file is put back and
    /// started after, and Compose brings the services up again from the restored file.
    func testStorageModeRollbackIsStopRestoreStart() throws {
        let gateway = Gateway()
        gateway.journal.fail("probe example.com")
        let outcome = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: true))
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        if case .probe(let result)? = outcome.error { XCTAssertEqual(result.host, "example.com") } else { XCTFail("\(String(describing: outcome.error))") }
        XCTAssertEqual(outcome.error?.reconcileError.reason, .probeFailed)
        let rollback = Array(gateway.journal.entries.dropFirst(Self.storageOrder.count))
        XCTAssertEqual(rollback, [
            "ha.stop", "file.write \(Self.compose)", "compose.up caddy jellyfin",
            "caddy.load", "ledger.save",
            "file.write \(Self.compose)", "file.write \(Self.storage)", "file.write \(Self.caddyfile)",
            "ha.start",
            "probe media.example.com", "probe example.com",
        ])
        XCTAssertEqual(outcome.rollbackProbes.map(\.host), ["media.example.com", "example.com"], "both hosts were live before")
    }

    /// YAML mode: a restart is undone by restoring the file, then restarting again (never restarting first).
    func testYAMLModeRollbackRestoresTheFileBeforeRestarting() throws {
        let gateway = Gateway()
        gateway.journal.fail("probe media.example.com")
        let outcome = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: false))
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        let entries = gateway.journal.entries
        let failedAt = try XCTUnwrap(entries.firstIndex(of: "probe media.example.com"))
        let rollback = Array(entries[(failedAt + 1)...])
        let restore = try XCTUnwrap(rollback.firstIndex(of: "file.write \(Self.configuration)"))
        let restart = try XCTUnwrap(rollback.firstIndex(of: "ha.restart"))
        XCTAssertLessThan(restore, restart, "\(rollback)")
        XCTAssertEqual(gateway.files.contents, Self.before)
    }

    func testAFailingRollbackStepIsReportedAndTheOthersStillRun() throws {
        let gateway = Gateway()
        gateway.journal.fail("probe example.com")
        gateway.journal.fail("caddy.load", occurrence: 2)
        let outcome = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: true))
        XCTAssertEqual(outcome.result, .rollbackFailed)
        XCTAssertTrue(outcome.rollbackFailure?.contains("Caddy rejected") ?? false, outcome.rollbackFailure ?? "")
        XCTAssertEqual(gateway.files.contents, Self.before, "the files are restored all the same")
        XCTAssertTrue(gateway.homeAssistant.running)
        XCTAssertEqual(outcome.rollbackProbes, [], "no probe after a rollback that failed")
    }

    /// Caddy validating while someone edits the compose file (the red team's slow `/adapt`): the files
    /// written before it are put back, the edit is kept, and the run is `changed_during_apply`, retryable.
    func testAFileEditedWhileCaddyValidatesIsKeptAndWhatWasWrittenIsRestored() throws {
        let gateway = Gateway()
        let edit = Array("old compose\n# added by hand while apply validated\n".utf8)
        var world = gateway.world
        world.caddy = SlowCaddyDouble(files: gateway.files, editing: Self.compose, to: edit)
        let outcome = try ApplyInterpreter(world: world).run(plan(storageMode: false))
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
        XCTAssertEqual(outcome.error?.reconcileError.reason, .changedDuringApply, outcome.failure ?? "")
        XCTAssertEqual(outcome.error?.reconcileError.isRetryable, true)
        if case .write(let path, _, _, _)? = outcome.failedStep { XCTAssertEqual(path, Self.compose) } else { XCTFail("\(String(describing: outcome.failedStep))") }
        XCTAssertEqual(outcome.written, [Self.caddyfile, Self.configuration], "written before the compose file")
        XCTAssertEqual(Set(outcome.restored), [Self.caddyfile, Self.configuration])
        var expected = Self.before
        expected[Self.compose] = edit
        XCTAssertEqual(gateway.files.contents, expected, "the edit is kept; what was written is put back")
    }

    /// A Caddy that refused the new config still runs the old one: it is not loaded again.
    func testARefusedLoadIsNotUndone() throws {
        let gateway = Gateway()
        gateway.journal.fail("caddy.load")
        let outcome = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: true))
        XCTAssertEqual(outcome.result, .rolledBack)
        XCTAssertEqual(outcome.error?.reconcileError.reason, .caddyRejected)
        XCTAssertEqual(outcome.error?.reconcileError.isRetryable, false, "Caddy refusing the config waits for a new commit")
        XCTAssertEqual(gateway.journal.entries.filter { $0 == "caddy.load" }.count, 1)
        XCTAssertFalse(outcome.journal.contains { if case .caddyLoaded = $0.event { return true } else { return false } })
    }

    func testWithoutARuntimeTheFilesAreWrittenAndTheRestIsLeftToTheUser() throws {
        let journal = WorldJournal()
        let files = InMemoryFileStoreDouble(journal: journal, files: Self.before)
        let world = ApplyWorld(files: files, caddy: nil, compose: nil, homeAssistant: nil, prober: nil,
                               ledger: InMemoryLedgerDouble(journal: journal))
        let outcome = try ApplyInterpreter(world: world).run(plan(storageMode: false))
        XCTAssertEqual(outcome.result, .applied)
        XCTAssertEqual(files.contents[Self.caddyfile], Array("new caddy".utf8))
        XCTAssertEqual(outcome.manual, [.reloadCaddy, .bringUp(services: ["caddy", "jellyfin"]), .restartHomeAssistant(service: "homeassistant")])
    }

    func testTheProgramIsPartOfThePlansJSON() throws {
        let json = PlanJSONRenderer.render(plan(storageMode: true))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let program = try XCTUnwrap(object["program"] as? [[String: Any]])
        XCTAssertEqual(program.compactMap { $0["action"] as? String }.filter { $0.contains("home_assistant") },
                       ["check_home_assistant_can_stop", "stop_home_assistant", "start_home_assistant"], "the check is a step --json shows")
    }

    /// The entries of a successful apply, each a call that can be made to fail.
    func happyOrder(storageMode: Bool) throws -> [String] {
        let gateway = Gateway()
        _ = try ApplyInterpreter(world: gateway.world).run(plan(storageMode: storageMode))
        return gateway.journal.entries
    }
}
