import Controller
import Daemon
import Foundation
import XCTest

final class CoalescingTests: XCTestCase {
    let clock = ContinuousClock()

    func testABurstCostsAtMostTwoReconcilesAndTheSecondStartsAfterIt() {
        var state = Coalescing(window: .seconds(1))
        let t0 = clock.now
        XCTAssertEqual(state.trigger(.webhook, at: t0), .zero, "idle: start at once")
        XCTAssertEqual(state.start(at: t0), [.webhook])
        for i in 1...9 { XCTAssertNil(state.trigger(i == 5 ? .timer : .webhook, at: t0 + .milliseconds(i * 10))) }
        XCTAssertEqual(state.finished(at: t0 + .milliseconds(200)), .milliseconds(800), "the waiting one starts a window after the first")
        XCTAssertNil(state.trigger(.webhook, at: t0 + .milliseconds(500)), "still folds while it waits")
        XCTAssertEqual(state.start(at: t0 + .seconds(1)), [.webhook, .timer])
        XCTAssertNil(state.finished(at: t0 + .milliseconds(1100)), "nothing came after: idle")
        XCTAssertFalse(state.running)
    }

    /// A fast reconcile that already ended does not let a burst through one by one.
    func testTriggersAfterAFastReconcileStillWaitForTheWindow() {
        var state = Coalescing(window: .seconds(1))
        let t0 = clock.now
        _ = state.trigger(.webhook, at: t0)
        _ = state.start(at: t0)
        XCTAssertNil(state.finished(at: t0 + .milliseconds(15)))
        XCTAssertEqual(state.trigger(.webhook, at: t0 + .milliseconds(40)), .milliseconds(960))
        XCTAssertNil(state.trigger(.webhook, at: t0 + .milliseconds(60)), "folds into the waiting one")
        XCTAssertEqual(state.start(at: t0 + .seconds(1)), [.webhook])
        XCTAssertNil(state.finished(at: t0 + .milliseconds(1010)))
        XCTAssertEqual(state.trigger(.timer, at: t0 + .seconds(5)), .zero, "a window after the last start: at once")
    }

    func testALateWaiterStartsRightAfterALongReconcile() {
        var state = Coalescing(window: .seconds(1))
        let t0 = clock.now
        _ = state.trigger(.timer, at: t0)
        _ = state.start(at: t0)
        _ = state.trigger(.webhook, at: t0 + .seconds(3))
        XCTAssertEqual(state.finished(at: t0 + .seconds(5)), .zero)
        XCTAssertEqual(state.trigger(.webhook, at: t0 + .seconds(20)), nil, "one waits already")
    }

    func testStopDropsTheWaitingOne() {
        var state = Coalescing()
        _ = state.trigger(.timer, at: clock.now)
        _ = state.start(at: clock.now)
        _ = state.trigger(.webhook, at: clock.now)
        state.stop()
        XCTAssertNil(state.waiting)
        XCTAssertFalse(state.running)
    }

    func testJitterStaysWithinItsBound() {
        let schedule = TimerSchedule(interval: .seconds(300), jitter: .seconds(30))
        var seen = Set<Int64>()
        for _ in 0..<500 {
            let delay = schedule.nextDelay()
            XCTAssertGreaterThanOrEqual(delay, .seconds(300))
            XCTAssertLessThanOrEqual(delay, .seconds(330))
            seen.insert(delay.components.seconds)
        }
        XCTAssertGreaterThan(seen.count, 10, "the jitter spreads the delays")
        XCTAssertEqual(TimerSchedule(interval: .seconds(5), jitter: .zero).nextDelay(), .seconds(5))
        XCTAssertEqual(TimerSchedule.standard.interval, .seconds(300))
    }

    func testDurationText() {
        XCTAssertEqual(DurationText.parse("300"), .seconds(300))
        XCTAssertEqual(DurationText.parse("5m"), .seconds(300))
        XCTAssertEqual(DurationText.parse("250ms"), .milliseconds(250))
        XCTAssertEqual(DurationText.parse("1.5s"), .milliseconds(1500))
        XCTAssertEqual(DurationText.parse("1h"), .seconds(3600))
        XCTAssertNil(DurationText.parse("soon"))
        XCTAssertNil(DurationText.parse("-1s"))
    }
}
