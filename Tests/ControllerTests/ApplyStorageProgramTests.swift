import XCTest
import Adapters
import Diagnostics
import Planner
import TestSupport
@testable import Controller

/// Storage mode's program beyond stop → write → start, with the in-memory doubles of `ApplyTransactionTests`:
/// the file read again once Home Assistant stopped (and planned again when it changed), and Home
/// Assistant's own trial (configure → probe → promote) when an access token is set.
final class ApplyStorageProgramTests: XCTestCase {
    typealias Base = ApplyTransactionTests
    static let saved = Array("saved http".utf8), replanned = Array("saved http + ours".utf8)

    /// The storage-mode plan made again from `storage`, writing `new` there (nil: the same bytes, no write).
    static func planAgain(from storage: [UInt8]?, writing new: [UInt8]?) -> Plan {
        var plan = Base.plan(storageMode: true)
        let index = plan.targets.firstIndex { $0.path == Base.storage }!
        plan.targets[index].currentContent = storage
        plan.targets[index].newContent = new ?? storage
        return plan
    }

    /// The gateway where Home Assistant saved its file between the plan and the stop.
    func savedGateway() -> Base.Gateway {
        let gateway = Base.Gateway()
        try! gateway.files.write(Self.saved, to: Base.storage)
        return gateway
    }

    func backedUp(_ gateway: Base.Gateway, _ path: String) -> [[UInt8]] {
        gateway.files.backedUpContents(of: path)
    }

    func testUnchangedAfterTheStopTheFileIsBackedUpThenWritten() throws {
        let gateway = Base.Gateway()
        let planAgain = PlanningAgainDouble { _ in .failure(.failed(.rolledBack, "not called")) }
        var world = gateway.world
        world.planAgain = planAgain
        let outcome = try ApplyInterpreter(world: world).run(Base.plan(storageMode: true))
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(planAgain.reads.count, 0, "an unchanged file is not planned again")
        XCTAssertTrue(outcome.journal.contains { $0.event == .reread(path: Base.storage, changed: false) }, "\(outcome.journal)")
        XCTAssertEqual(backedUp(gateway, Base.storage), [Base.before[Base.storage]!])
    }

    /// A save between the plan and the stop: the rest of the program is the new plan's, so the save's bytes
    /// are backed up and replaced, and a rollback puts the save back (not the bytes the first plan read).
    func testAFileChangedBeforeTheStopIsPlannedAgainAndBackedUpAsFound() throws {
        for failing in [nil, "probe example.com"] {
            let gateway = savedGateway()
            if let failing { gateway.journal.fail(failing) }
            let planAgain = PlanningAgainDouble { .success(Self.planAgain(from: $0, writing: Self.replanned)) }
            var world = gateway.world
            world.planAgain = planAgain
            let outcome = try ApplyInterpreter(world: world).run(Base.plan(storageMode: true))
            XCTAssertEqual(planAgain.reads, [Self.saved])
            XCTAssertTrue(outcome.journal.contains { $0.event == .reread(path: Base.storage, changed: true) }, "\(outcome.journal)")
            XCTAssertEqual(backedUp(gateway, Base.storage), [Self.saved], "backed up once, as found after the stop")
            XCTAssertEqual(outcome.plan.target(.homeAssistant)?.currentContent, Self.saved, "the outcome names the plan it ran")
            XCTAssertEqual(gateway.homeAssistant.wrongState, [])
            XCTAssertTrue(gateway.homeAssistant.running)
            XCTAssertEqual(gateway.journal.entries.filter { $0 == "ha.stop" }.count, failing == nil ? 1 : 2)
            if failing == nil {
                XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
                XCTAssertEqual(gateway.files.contents[Base.storage], Self.replanned)
                XCTAssertEqual(gateway.files.contents[Base.caddyfile], Array("new caddy".utf8))
            } else {
                XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? "")
                XCTAssertEqual(gateway.files.contents[Base.storage], Self.saved, "the save is put back")
                XCTAssertEqual(gateway.files.contents[Base.caddyfile], Base.before[Base.caddyfile])
            }
        }
    }

    /// Planning again refused (the new file does not parse, there is nothing to plan from, or the new plan
    /// would change another file): nothing is written, Home Assistant starts again, the error says why.
    func testARefusedPlanAgainRollsBackBeforeAnyWrite() throws {
        let refusals: [(String, PlanningAgainDouble?, FailureReason)] = [
            ("does not parse", PlanningAgainDouble { _ in
                .failure(.invalidInput(DiagnosticList([Diagnostic(file: Base.storage, position: nil, message: "not JSON")]), reason: .invalidLiveFile)) },
             .invalidLiveFile),
            ("no observation", nil, .rolledBack),
            ("another file", PlanningAgainDouble { storage in
                var plan = Self.planAgain(from: storage, writing: Self.replanned)
                plan.targets[0].newContent = Array("other caddy".utf8)
                return .success(plan)
            }, .rolledBack),
        ]
        for (name, planAgain, reason) in refusals {
            let gateway = savedGateway()
            var world = gateway.world
            world.planAgain = planAgain
            let outcome = try ApplyInterpreter(world: world).run(Base.plan(storageMode: true))
            XCTAssertEqual(outcome.result, .rolledBack, "\(name): \(outcome.rollbackFailure ?? "")")
            guard case .changedBeforeStop(let path, _)? = outcome.error else { return XCTFail("\(name): \(String(describing: outcome.error))") }
            XCTAssertEqual(path, Base.storage)
            XCTAssertEqual(outcome.error?.reconcileError.reason, reason, name)
            XCTAssertTrue(outcome.failure?.contains("planning again from it was refused") ?? false, outcome.failure ?? "")
            XCTAssertEqual(outcome.written, [], name)
            let applied = gateway.journal.entries.dropFirst()  // after the test's own write of the saved file
            XCTAssertFalse(applied.contains { $0.hasPrefix("file.write") }, "\(name): \(applied)")
            XCTAssertEqual(gateway.files.contents[Base.storage], Self.saved, "\(name): Home Assistant's file as it left it")
            XCTAssertEqual(Array(gateway.journal.entries.suffix(3)), ["ha.stop", "file.read \(Base.storage)", "ha.start"], name)
            XCTAssertTrue(gateway.homeAssistant.running, name)
            XCTAssertEqual(gateway.caddy.running, Base.before[Base.caddyfile], name)
        }
    }

    /// The new plan finds the file as we want it already: no write there, Home Assistant started again, the rest runs.
    func testAFileThatNeedsNothingAnyMoreIsNotWrittenButHomeAssistantStartsAgain() throws {
        let gateway = savedGateway()
        var world = gateway.world
        world.planAgain = PlanningAgainDouble { .success(Self.planAgain(from: $0, writing: nil)) }
        let outcome = try ApplyInterpreter(world: world).run(Base.plan(storageMode: true))
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(gateway.files.contents[Base.storage], Self.saved)
        XCTAssertEqual(gateway.files.contents[Base.caddyfile], Array("new caddy".utf8))
        XCTAssertEqual(gateway.journal.entries.filter { $0.hasPrefix("ha.") }, ["ha.stop", "ha.start"])
        XCTAssertEqual(gateway.homeAssistant.wrongState, [])
        XCTAssertEqual(gateway.journal.entries.filter { $0.hasPrefix("file.backup") }.count, 2, "the others' backups are not taken twice")
    }

    // MARK: Home Assistant's own trial

    /// The storage-mode plan with an access token: Home Assistant's trial instead of stop → write → start.
    static func trialPlan() -> Plan {
        var plan = Base.plan(storageMode: true)
        let index = plan.targets.firstIndex { $0.path == Base.storage }!
        plan.targets[index].restart = ServiceRestart(mode: .homeAssistantTrial, services: ["homeassistant"], reason: "test")
        return plan
    }

    func trialWorld(_ gateway: Base.Gateway) -> (ApplyWorld, InMemoryHomeAssistantTrialDouble) {
        let trial = InMemoryHomeAssistantTrialDouble(journal: gateway.journal)
        var world = gateway.world
        world.homeAssistantTrial = trial
        return (world, trial)
    }

    static let trialOrder = [
        "file.check \(Base.caddyfile)", "file.check \(Base.compose)", "caddy.validate", "compose.validate",
        "file.backup \(Base.caddyfile)", "file.backup \(Base.compose)",
        "file.write \(Base.caddyfile)", "file.write \(Base.compose)", "ledger.save",
        "caddy.load", "compose.up caddy jellyfin", "ha.trial.configure", "probe media.example.com", "probe example.com",
        "ha.trial.promote",
    ]

    func testWithATokenTheProgramConfiguresProbesThenPromotes() throws {
        let gateway = Base.Gateway()
        let (world, trial) = trialWorld(gateway)
        let outcome = try ApplyInterpreter(world: world).run(Self.trialPlan())
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(gateway.journal.entries, Self.trialOrder)
        XCTAssertEqual(trial.configured, [Array("new ha".utf8)])
        XCTAssertTrue(trial.promoted)
        XCTAssertEqual(gateway.files.contents[Base.storage], Base.before[Base.storage], "Home Assistant writes its own file")
        XCTAssertTrue(outcome.journal.contains { $0.event == .trialPromoted(path: Base.storage) }, "\(outcome.journal)")
    }

    func testTheTrialIsInThePlansProgramWithItsUndo() throws {
        let json = PlanJSONRenderer.render(Self.trialPlan())
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let program = try XCTUnwrap(object["program"] as? [[String: Any]])
        let names = program.compactMap { $0["action"] as? String }
        XCTAssertEqual(Array(names.suffix(3)), ["configure_home_assistant_trial", "probe", "promote_home_assistant_trial"])
        XCTAssertFalse(names.contains("stop_home_assistant"))
        let configure = try XCTUnwrap(program.first { $0["action"] as? String == "configure_home_assistant_trial" })
        XCTAssertEqual(configure["undo"] as? [String], ["leave_home_assistant_trial_unpromoted"])
        XCTAssertEqual(configure["on"] as? String, Base.storage)
        let targets = try XCTUnwrap(object["targets"] as? [[String: Any]])
        let restart = try XCTUnwrap(targets.first { $0["path"] as? String == Base.storage }?["restart"] as? [String: Any])
        XCTAssertEqual(restart["mode"] as? String, "home_assistant_trial", "the plan says which path it takes")
    }

    /// Each call failing in turn: never promoted after a failure, every file and Caddy as they were, and
    /// Home Assistant never stopped (its trial reverts by itself).
    func testWithATokenEachStepFailingInTurnIsNeverPromoted() throws {
        for failing in Self.trialOrder {
            let gateway = Base.Gateway()
            gateway.journal.fail(failing)
            let (world, trial) = trialWorld(gateway)
            do {
                let outcome = try ApplyInterpreter(world: world).run(Self.trialPlan())
                XCTAssertEqual(outcome.result, .rolledBack, "\(failing): \(outcome.rollbackFailure ?? "")")
                let configured = gateway.journal.entries.contains("ha.trial.configure")
                XCTAssertEqual(outcome.failure?.contains("trial was not promoted") ?? false, configured, "\(failing): \(outcome.failure ?? "")")
                XCTAssertEqual(outcome.journal.contains { $0.undoing && $0.event == .trialLeftUnpromoted(path: Base.storage) }, configured, failing)
            } catch {
                XCTAssertTrue(failing.hasPrefix("file.check") || failing.hasSuffix(".validate"), "\(failing): only checks throw, got \(error)")
            }
            XCTAssertFalse(trial.promoted, failing)
            XCTAssertEqual(gateway.files.contents, Base.before, failing)
            XCTAssertEqual(gateway.caddy.running, Base.before[Base.caddyfile], failing)
            XCTAssertEqual(gateway.journal.entries.filter { $0.hasPrefix("ha.stop") || $0.hasPrefix("ha.start") }, [], failing)
            XCTAssertEqual(gateway.ledgers.last ?? .empty, .empty, failing)
        }
    }

    func testARefusedTokenIsTerminalAndOtherTrialFailuresAreRetried() {
        let refused = ApplyFailure.homeAssistantTrial(HomeAssistantWebSocketError(endpoint: "h:8123", reason: "refused", code: "auth_invalid"))
        XCTAssertEqual(refused.reconcileError.reason, .invalidSettings)
        XCTAssertFalse(refused.reconcileError.isRetryable)
        let late = ApplyFailure.homeAssistantTrial(HomeAssistantWebSocketError(endpoint: "h:8123", reason: "too late", code: "not_allowed"))
        XCTAssertEqual(late.reconcileError.reason, .homeAssistantNotReady)
        XCTAssertTrue(late.reconcileError.isRetryable)
    }
}
