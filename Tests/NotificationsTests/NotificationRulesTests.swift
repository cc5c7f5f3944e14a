import Diagnostics
import Notifications
import XCTest

final class NotificationRulesTests: XCTestCase {
    let day: Int64 = 24 * 3600
    let commit = CommitRef(id: "c0ffee0000000000000000000000000000000001", subject: "expose jellyfin", author: "Ann <ann@example.org>")

    func refused(_ commit: CommitRef? = nil) -> CycleSummary {
        let diagnostic = Diagnostic(file: "exposure.yaml", position: SourcePosition(line: 12, column: 5), message: "unknown key 'acess'",
                                    hint: "did you mean 'access'?")
        return CycleSummary(gateway: "home", commit: commit ?? self.commit, desiredFile: "exposure.yaml",
                            outcome: .refused(FailureFacts(reason: "invalid_desired_state", retryable: false, message: diagnostic.description,
                                                           diagnostics: [diagnostic])))
    }

    func succeeded(_ hosts: [HostAccess] = [], becamePublic: Set<String> = []) -> CycleSummary {
        CycleSummary(gateway: "home", commit: commit, desiredFile: "exposure.yaml", outcome: .succeeded(hosts: hosts, becamePublic: becamePublic))
    }

    /// Runs the rules as the controller does, every message reaching its target.
    func cycle(_ summary: CycleSummary, _ memory: inout NotificationMemory, at now: Int64, reached: Bool = true) -> [NotificationEvent] {
        let evaluation = NotificationRules.evaluate(summary, memory: memory, now: now)
        memory = NotificationRules.delivered(evaluation.events, reached: { _ in reached }, memory: evaluation.memory, now: now)
        return evaluation.events
    }

    func testARepeatedFailureIsSentOnceThenDailyThenItsRecovery() {
        var memory = NotificationMemory()
        let t0: Int64 = 1_800_000_000
        XCTAssertEqual(cycle(refused(), &memory, at: t0).map(\.kind), [.commitRefused])
        XCTAssertEqual(cycle(refused(), &memory, at: t0 + 300).map(\.kind), [], "the same failure 5 minutes later is not news")
        XCTAssertEqual(cycle(refused(), &memory, at: t0 + day - 1).map(\.kind), [], "no reminder before a day")
        let reminder = cycle(refused(), &memory, at: t0 + day)
        XCTAssertEqual(reminder.map(\.kind), [.commitRefused])
        XCTAssertEqual(reminder.first?.reminder, true)
        XCTAssertEqual(reminder.first?.since, t0)
        XCTAssertEqual(cycle(refused(), &memory, at: t0 + day + 300).map(\.kind), [])
        let recovery = cycle(succeeded(), &memory, at: t0 + day + 600)
        XCTAssertEqual(recovery.map(\.kind), [.recovered])
        guard case .recovered(let after, let reason, let since)? = recovery.first?.detail else { return XCTFail("\(recovery)") }
        XCTAssertEqual(after, .commitRefused)
        XCTAssertEqual(reason, "invalid_desired_state")
        XCTAssertEqual(since, t0)
        XCTAssertEqual(cycle(succeeded(), &memory, at: t0 + day + 900).map(\.kind), [], "one recovery only")
    }

    func testAnotherCommitRefusedIsNews() {
        var memory = NotificationMemory()
        XCTAssertEqual(cycle(refused(), &memory, at: 1000).count, 1)
        let next = CommitRef(id: "c0ffee0000000000000000000000000000000002", subject: "fix typo")
        let events = cycle(refused(next), &memory, at: 1300)
        XCTAssertEqual(events.map(\.kind), [.commitRefused])
        XCTAssertEqual(events.first?.commit?.id, next.id)
        XCTAssertEqual(events.first?.reminder, false)
    }

    func testAFailureNoTargetReceivedIsTriedOnAtMostThreeReconciles() {
        var memory = NotificationMemory()
        for now in [Int64(1000), 1300, 1600] {
            XCTAssertEqual(cycle(refused(), &memory, at: now, reached: false).count, 1, "undelivered: tried again at \(now)")
        }
        XCTAssertEqual(cycle(refused(), &memory, at: 1900, reached: false).count, 0, "bounded: given up after three")
        XCTAssertEqual(cycle(succeeded(), &memory, at: 2200).map(\.kind), [], "no recovery for a failure nobody was told of")
    }

    func testAFailureDeliveredOnItsSecondTryIsNotSentAgain() {
        var memory = NotificationMemory()
        XCTAssertEqual(cycle(refused(), &memory, at: 1000, reached: false).count, 1)
        XCTAssertEqual(cycle(refused(), &memory, at: 1300, reached: true).count, 1)
        XCTAssertEqual(cycle(refused(), &memory, at: 1600).count, 0)
        XCTAssertEqual(cycle(succeeded(), &memory, at: 1900).map(\.kind), [.recovered])
    }

    func testARetryableStopIsSentOnlyWhenTheNextReconcileFailsTheSameWay() {
        func unreachable(_ reason: String = "git_unreachable") -> CycleSummary {
            CycleSummary(gateway: "home", commit: commit, outcome: .failed(FailureFacts(reason: reason, retryable: true, message: "cannot connect")))
        }
        var memory = NotificationMemory()
        XCTAssertEqual(cycle(unreachable(), &memory, at: 1000).count, 0, "a blip is not news")
        XCTAssertEqual(cycle(succeeded(), &memory, at: 1300).count, 0, "nor is its end")
        XCTAssertEqual(cycle(unreachable(), &memory, at: 1600).count, 0)
        XCTAssertEqual(cycle(unreachable("engine_unreachable"), &memory, at: 1900).count, 0, "another cause starts again")
        let lasting = cycle(unreachable("engine_unreachable"), &memory, at: 2200)
        XCTAssertEqual(lasting.map(\.kind), [.reconcileFailed])
        XCTAssertEqual(lasting.first?.since, 1900, "since the first of the two")
        let settled = memory
        XCTAssertEqual(cycle(unreachable("engine_unreachable"), &memory, at: 2500).count, 0)
        XCTAssertEqual(memory, settled, "a failure that lasts does not change the memory each tick")
        XCTAssertEqual(cycle(succeeded(), &memory, at: 2800).map(\.kind), [.recovered])
        let terminal = CycleSummary(gateway: "home", commit: commit, outcome: .failed(FailureFacts(reason: "invalid_live_file", retryable: false, message: "x")))
        XCTAssertEqual(cycle(terminal, &memory, at: 3100).count, 1, "a terminal stop is news at once")
    }

    func testApplyFailuresDifferingByStepAreDistinct() {
        func failed(_ step: String) -> CycleSummary {
            CycleSummary(gateway: "home", commit: commit, outcome: .applyFailed(ApplyFailureFacts(
                failure: FailureFacts(reason: "probe_failed", retryable: true, message: "probe failed"), step: step,
                restored: ["/usr/local/caddy/Caddyfile"], rollbackFailed: false)))
        }
        var memory = NotificationMemory()
        XCTAssertEqual(cycle(failed("probe"), &memory, at: 1000).count, 1)
        XCTAssertEqual(cycle(failed("probe"), &memory, at: 1300).count, 0)
        XCTAssertEqual(cycle(failed("load_caddy"), &memory, at: 1600).count, 1)
    }

    func testAHostOpenedToTheInternetOrLosingALoginIsSentOnce() {
        let lan = HostAccess(host: "jf.example.org", service: "jellyfin", access: "lan", logins: 0)
        let guarded = HostAccess(host: "ha.example.org", service: "homeassistant", access: "public", logins: 2)
        var memory = NotificationMemory()
        XCTAssertEqual(cycle(succeeded([lan, guarded]), &memory, at: 1000).count, 0, "first apply with nothing new: silent")
        var opened = lan
        opened.access = "public"
        opened.declaredAt = "exposure.yaml:12:3"
        var unguarded = guarded
        unguarded.logins = 1
        let events = cycle(succeeded([opened, unguarded]), &memory, at: 1300)
        XCTAssertEqual(events.count, 1, "one message for the apply")
        guard case .exposureWidened(let widenings)? = events.first?.detail, widenings.count == 2 else { return XCTFail("\(events)") }
        XCTAssertEqual(widenings[0].host, "jf.example.org")
        XCTAssertEqual(widenings[0].was?.access, "lan")
        XCTAssertEqual(widenings[1].now.logins, 1)
        XCTAssertEqual(widenings[1].was?.logins, 2)
        let message = NotificationMessage(events[0])
        XCTAssertEqual(message.title, "home: 2 hosts are now reachable more widely")
        XCTAssertTrue(message.body.contains("Access of jellyfin (https://jf.example.org) widened: lan -> public, declared at exposure.yaml:12:3."), message.body)
        XCTAssertTrue(message.body.contains("Access of homeassistant (https://ha.example.org) widened: public, 2 login(s) -> public, 1 login(s)."), message.body)
        XCTAssertEqual(cycle(succeeded([opened, unguarded]), &memory, at: 1600).count, 0, "already said")
    }

    func testNarrowingAccessSendsNothing() {
        var memory = NotificationMemory()
        _ = cycle(succeeded([HostAccess(host: "a.example.org", service: "a", access: "public", logins: 0)]), &memory, at: 1000)
        XCTAssertEqual(cycle(succeeded([HostAccess(host: "a.example.org", service: "a", access: "lan", logins: 0)]), &memory, at: 1300).count, 0)
        XCTAssertEqual(cycle(succeeded([HostAccess(host: "a.example.org", service: "a", access: "lan", logins: 1)]), &memory, at: 1600).count, 0)
    }

    func testANewPublicHostIsSentWhenThePlanMakesItPublic() {
        var memory = NotificationMemory()
        let host = HostAccess(host: "jf.example.org", service: "jellyfin", access: "public", logins: 0)
        let events = cycle(succeeded([host], becamePublic: ["jf.example.org"]), &memory, at: 1000)
        XCTAssertEqual(events.map(\.kind), [.exposureWidened])
        XCTAssertEqual(cycle(succeeded([host]), &memory, at: 1300).count, 0)
    }

    func testACertificateAlertIsSentAtMostDaily() {
        var memory = NotificationMemory()
        var summary = succeeded()
        summary.certificates = [CertificateAlert(host: "a.example.org", problem: .expiresSoon(daysLeft: 9))]
        XCTAssertEqual(cycle(summary, &memory, at: 1000).map(\.kind), [.certificate])
        XCTAssertEqual(cycle(summary, &memory, at: 1000 + day - 1).count, 0)
        XCTAssertEqual(cycle(summary, &memory, at: 1000 + day).map(\.kind), [.certificate])
    }

    func testTheMemoryRoundTripsThroughJSON() throws {
        var memory = NotificationMemory()
        _ = cycle(succeeded([HostAccess(host: "a.example.org", service: "a", access: "lan", logins: 1, declaredAt: "x:1:1")]), &memory, at: 10)
        _ = cycle(refused(), &memory, at: 20)
        let decoded = try JSONDecoder().decode(NotificationMemory.self, from: JSONEncoder().encode(memory))
        XCTAssertEqual(decoded.failing, memory.failing)
        XCTAssertEqual(decoded.hosts?["a.example.org"]?.access, "lan")
        XCTAssertNil(decoded.hosts?["a.example.org"]?.declaredAt, "positions are for messages, not remembered")
    }
}
