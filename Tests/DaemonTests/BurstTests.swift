import Controller
import Daemon
import Foundation
import TestSupport
import XCTest

/// Ten pushes in a burst against the real reconcile cycle (a git checkout, files-only apply).
final class BurstTests: XCTestCase {
    func testTenTriggersInABurstRunAtMostTwiceAndTheLastSeesTheNewestCommit() async throws {
        let sandbox = try DaemonSandbox()
        let runner = CycleRunner(settings: sandbox.settings, options: .init(mode: .apply(nil), report: true, publish: false))
        let records = RecordLog()
        // The window is wider than the daemon's default so that a loaded machine (commits take longer) still
        // fits the burst in it: the bound is about the window, not about this machine's speed.
        let window = Duration.seconds(3)
        let scheduler = ReconcileScheduler(window: window, runner: { await runner.run($0) }, onRecord: { await records.append($0) })
        let clock = ContinuousClock(), start = clock.now
        // Spread over about a second, so a files-only reconcile (a few ms) ends between two pushes:
        // the bound must hold whether the reconciles overlap the burst or not.
        for i in 1...10 {
            sandbox.commitService("burst\(i)")
            await scheduler.trigger(.webhook)
            try await Task.sleep(for: .milliseconds(50))
        }
        let burst = clock.now - start
        let newest = sandbox.head
        await scheduler.untilIdle()
        let runs = await scheduler.runs
        let all = await records.all
        print("burst of 10 commits + triggers took \(burst); \(runs) reconcile(s)")
        XCTAssertLessThan(burst, window, "the burst must fit in the coalescing window for the bound to apply")
        XCTAssertGreaterThanOrEqual(runs, 1)
        XCTAssertLessThanOrEqual(runs, 2, "ten pushes within one window cause at most two reconciles")
        XCTAssertEqual(all.count, runs)
        XCTAssertEqual(all.last?.appliedCommit, newest, "the last reconcile applied the newest commit")
        XCTAssertTrue(all.allSatisfy { $0.outcome == .applied || $0.outcome == .inSync }, "\(all.map(\.detail))")
        XCTAssertTrue(sandbox.read(sandbox.caddyfile).contains("burst10.mondomaine.ddnsfree.com"))
        XCTAssertEqual(try sandbox.planStatus(), 0, "the gateway matches the newest commit")
    }

    /// A reconcile never overlaps another one, whatever the triggers do.
    func testReconcilesNeverOverlap() async throws {
        let active = RecordLog()
        let scheduler = ReconcileScheduler(window: .milliseconds(20)) { reasons in
            let overlapping = await active.enter()
            try? await Task.sleep(for: .milliseconds(30))
            await active.leave()
            return CycleRecord(outcome: overlapping ? .failed : .inSync, reasons: reasons, started: Date(), duration: .milliseconds(30))
        } onRecord: { await active.append($0) }
        for _ in 0..<5 {
            for _ in 0..<20 { await scheduler.trigger(.webhook) }
            try await Task.sleep(for: .milliseconds(15))
        }
        await scheduler.untilIdle()
        let all = await active.all
        XCTAssertFalse(all.isEmpty)
        XCTAssertFalse(all.contains { $0.outcome == .failed }, "two reconciles ran at once")
    }
}

actor RecordLog {
    var all: [CycleRecord] = []
    private var inside = 0
    func append(_ record: CycleRecord) { all.append(record) }
    func enter() -> Bool { inside += 1; return inside > 1 }
    func leave() { inside -= 1 }
}
