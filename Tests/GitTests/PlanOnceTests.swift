import Foundation
import TestSupport
import XCTest
import Adapters
import Compose
@testable import Planner
@testable import Controller

/// Each reconcile observes once (files and engine) and makes exactly one plan; the apply runs that plan
/// and the status report describes it.
final class PlanOnceTests: XCTestCase {
    final class PlanCounter: @unchecked Sendable {
        let lock = NSLock()
        var plans: [Plan] = []
        func plan(_ inputs: PlanInputs) throws(ReconcileError) -> Plan {
            let plan = try Observer.plan(inputs)
            lock.withLock { plans.append(plan) }
            return plan
        }
    }

    /// Gateway gw1 following a fresh exposure remote, in `scratch` (which the caller keeps alive).
    func gatewaySettings(in scratch: Scratch) throws -> ReconcileSettings {
        let remote = ExposureRemote(scratch)
        return ReconcileSettings(repo: remote.url, paths: .defaults(root: scratch.gateway("gw1")), gateway: "gw1",
                                 remote: RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(remote.url)), allowForcePush: false))
    }

    func testAnApplyWithTheEngineMakesExactlyOnePlanAndReportsIt() throws {
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let settings = try gatewaySettings(in: scratch)
        let journal = WorldJournal()
        let counter = PlanCounter()
        let runtime = RuntimeSettings(caddy: .none, compose: ComposeSettings(), homeAssistant: .none, probes: nil)
        let result = ReconcileCycle.run(settings, options: .init(mode: .apply(runtime), report: true, publish: false),
                                        planner: counter.plan, engineObserver: EngineObserverDouble(compose: InMemoryComposeDouble(journal: journal)))
        XCTAssertNil(result.error, result.error?.description ?? "")
        XCTAssertEqual(counter.plans.count, 1, "one observation, one plan")
        let plan = try XCTUnwrap(counter.plans.first)
        XCTAssertEqual(PlanJSONRenderer.render(try XCTUnwrap(result.plan)), PlanJSONRenderer.render(plan))
        XCTAssertEqual(PlanJSONRenderer.render(try XCTUnwrap(result.applied?.plan)), PlanJSONRenderer.render(plan), "the apply ran that plan")
        // The engine's view was in the one observation: the plan brings up what it named, and Compose did exactly that.
        let composeUp = try XCTUnwrap(plan.target(.compose)?.restart)
        XCTAssertEqual(journal.entries.filter { $0.hasPrefix("compose.up") }, ["compose.up " + composeUp.services.joined(separator: " ")])
        XCTAssertFalse(composeUp.services.contains("caddy"), "caddy runs from its current definition: not brought up")
        // The report is that plan's rendering.
        let report = try XCTUnwrap(result.report)
        XCTAssertEqual(report.targets.map(\.changes), plan.targets.map(\.changes.count))
        XCTAssertEqual(report.outcome, .applied)

        let again = PlanCounter()
        let second = ReconcileCycle.run(settings, options: .init(mode: .apply(runtime), report: true, publish: false),
                                        planner: again.plan, engineObserver: EngineObserverDouble(compose: InMemoryComposeDouble(journal: journal)))
        XCTAssertEqual(again.plans.count, 1)
        XCTAssertEqual(second.applied?.result, .converged)
        XCTAssertEqual(second.report?.outcome, .inSync)
    }

    /// The Caddyfile is parsed once, as it is observed (on a thread of its own, beside the desired state),
    /// and the one plan is made from that parse of exactly the bytes observed.
    func testTheCaddyfileIsParsedAsItIsObservedAndThePlanUsesThatParse() throws {
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let settings = try gatewaySettings(in: scratch)
        var planned: [PlanInputs] = []
        let result = ReconcileCycle.run(settings, options: .init(mode: .plan(nil), report: false, publish: false),
                                        planner: { inputs throws(ReconcileError) in
                                            planned.append(inputs)
                                            return try Observer.plan(inputs)
                                        })
        XCTAssertNil(result.error, result.error?.description ?? "")
        XCTAssertEqual(planned.count, 1)
        let inputs = try XCTUnwrap(planned.first)
        let parsed = try XCTUnwrap(inputs.parsedCaddyfile, "the observer hands over its parse")
        XCTAssertEqual(parsed.file, inputs.caddyfile)
        XCTAssertEqual(inputs.caddyfile.bytes, Array(try Data(contentsOf: URL(fileURLWithPath: settings.paths.caddyfile))))
        XCTAssertFalse(try parsed.document.get().blocks.isEmpty)
        XCTAssertEqual(result.observation?.parsedCaddyfile?.file, inputs.caddyfile, "the result shows the observation planned from")
    }
}
