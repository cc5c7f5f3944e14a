import Foundation
import TestSupport
import XCTest
import Adapters
@testable import Controller

/// Plan and apply run on the same observation, so every input of the bad-input corpus gets the same reason
/// from both, with the engine read (an in-memory engine and Compose: the controller's production path).
final class PlanApplySameReasonTests: XCTestCase {
    func testEveryInputOfTheBadInputCorpusGetsTheSameReasonFromPlanAndApply() throws {
        var compared = 0
        // A read-only file is the one exception, by design: a plan only reads, so it plans (exit 2), and the
        // apply's first step, `check_writable` (which `plan --json` lists), refuses it.
        for item in BadInputCorpusTests.cases() where item.planStatus == 1 {
            let box = try BadInputBox(storageMode: item.target == .storage)
            let url = box.url(of: item.target)
            if let content = item.content { try Data(content()).write(to: url) }
            try item.prepare?(box, url)
            let settings = ReconcileSettings(repo: box.repo.path, paths: .defaults(root: box.gateway.path))
            let engine = EngineObserverDouble(compose: InMemoryComposeDouble(journal: WorldJournal()))
            let plan = ReconcileCycle.Options(mode: .plan(compose: ComposeSettings(), caddy: CaddyWay.none), report: false, publish: false)
            var apply = ReconcileCycle.Options(mode: .apply(RuntimeSettings(caddy: .none, compose: ComposeSettings(), homeAssistant: .none, probes: nil)),
                                               report: false, publish: false)
            apply.homeAssistantStopped = item.target == .storage
            let planned = ReconcileCycle.run(settings, options: plan, engineObserver: engine)
            let applied = ReconcileCycle.run(settings, options: apply, engineObserver: engine)
            let label = "[\(item.name)] plan: \(planned.error?.description ?? "none")\napply: \(applied.error?.description ?? "none")"
            XCTAssertEqual(planned.error?.reason, applied.error?.reason, label)
            XCTAssertEqual(planned.error?.isRetryable, applied.error?.isRetryable, label)
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 100)
    }

    /// Issue #25's case: a compose file our own parser refuses, with the real engine observer (whose engine is
    /// down here). Apply said `engine_unreachable`, retryable, with no file name; plan and apply now both say
    /// `invalid_live_file` with its position, before any engine is asked.
    func testAComposeFileOurParserRefusesIsTheFilesFaultInPlanAndApply() throws {
        let box = try BadInputBox(storageMode: false)
        try Data("services:\n  caddy:\n    image: caddy\n  bad: [\n".utf8).write(to: box.url(of: .compose))
        let settings = ReconcileSettings(repo: box.repo.path, paths: .defaults(root: box.gateway.path))
        let compose = ComposeSettings(settings: .init(environment: ["DOCKER_HOST": "unix://\(box.root.path)/no-engine.sock"]))
        let plan = ReconcileCycle.Options(mode: .plan(compose: compose, caddy: CaddyWay.none), report: false, publish: false)
        let apply = ReconcileCycle.Options(mode: .apply(RuntimeSettings(caddy: .none, compose: compose, homeAssistant: .none, probes: nil)),
                                           report: false, publish: false)
        for options in [plan, apply] {
            let error = try XCTUnwrap(ReconcileCycle.run(settings, options: options).error)
            XCTAssertEqual(error.reason, .invalidLiveFile, error.description)
            XCTAssertFalse(error.isRetryable)
            XCTAssertTrue(error.description.contains("docker-compose.yml:5:1"), error.description)
        }
    }
}
