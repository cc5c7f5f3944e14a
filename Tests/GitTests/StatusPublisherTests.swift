import Diagnostics
import Foundation
import TestSupport
import XCTest
@testable import Adapters
@testable import Controller
import StatusReport

/// Committing reports to the status branch: only on change, linear history, races retried on the new tip.
final class StatusPublisherTests: XCTestCase {
    func report(_ gateway: String, at time: Int64, state: ServiceStatus.State = .exposed) -> StatusReport {
        StatusReport(gateway: gateway, desired: StatusCommit(id: String(repeating: "a", count: 40), subject: "Expose"),
                     lastApplied: StatusCommit(id: String(repeating: "a", count: 40), subject: "Expose"),
                     outcome: state == .failed ? .failed : .inSync, domain: "example.com",
                     services: [ServiceStatus(name: "jellyfin", address: "https://jellyfin.example.com", upstream: "host:8096", state: state)],
                     checkedAt: StatusTime(secondsSince1970: time))
    }

    func source(_ remote: ExposureRemote) throws -> RemoteSource {
        RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(remote.url)))
    }

    func testCommitsOnlyWhenTheReportChangesApartFromTheTime() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        let first = try StatusPublisher.publish(report("gw1", at: 1_000), to: try source(remote), statusBranch: "reconcile-status", stateDir: state)
        XCTAssertNotNil(first.commit)
        XCTAssertEqual(remote.remoteRef("reconcile-status"), first.commit)
        XCTAssertTrue(remote.remoteGit("show reconcile-status:status/gw1/status.md").output.contains("| jellyfin | exposed |"))

        let again = try StatusPublisher.publish(report("gw1", at: 9_999), to: try source(remote), statusBranch: "reconcile-status", stateDir: state)
        XCTAssertNil(again.commit, "only the time changed: no commit")
        XCTAssertEqual(remote.remoteRef("reconcile-status"), first.commit)
        XCTAssertTrue(remote.remoteGit("show reconcile-status:status/gw1/status.json").output.contains("1970-01-01T00:16:40Z"),
                      "the branch keeps the time of the last change")

        let changed = try StatusPublisher.publish(report("gw1", at: 10_000, state: .failed), to: try source(remote),
                                                  statusBranch: "reconcile-status", stateDir: state)
        XCTAssertNotNil(changed.commit)
        XCTAssertEqual(remote.remoteGit("rev-list --count reconcile-status").trimmed, "2")
        XCTAssertEqual(remote.remoteGit("rev-list --merges reconcile-status").trimmed, "")
        XCTAssertEqual(remote.remoteRef("main"), remote.head, "the followed branch is never touched")
        XCTAssertEqual(remote.remoteGit("log -1 --format=%an%n%s reconcile-status").trimmed, "reconcile on gw1\ngw1: failed at aaaaaaaaaaaa \"Expose\"")
    }

    func testAHandEditedReportIsRestored() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        _ = try StatusPublisher.publish(report("gw1", at: 1_000), to: try source(remote), statusBranch: "reconcile-status", stateDir: state)
        let edit = scratch.sub("edit")
        XCTAssertEqual(sh("git clone -q -b reconcile-status '\(remote.bare)' '\(edit)' && cd '\(edit)' && echo tampered >> status/gw1/status.md && git commit -qam tamper && git push -q origin reconcile-status", in: scratch.path).status, 0)
        let restored = try StatusPublisher.publish(report("gw1", at: 2_000), to: try source(remote), statusBranch: "reconcile-status", stateDir: state)
        XCTAssertNotNil(restored.commit)
        XCTAssertFalse(remote.remoteGit("show reconcile-status:status/gw1/status.md").output.contains("tampered"))
    }

    func testPushRaceIsRetriedOnTheNewTipWithoutMerges() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        _ = try StatusPublisher.publish(report("gw1", at: 1_000), to: try source(remote), statusBranch: "reconcile-status", stateDir: scratch.sub("gw1"))
        // gw2 has fetched the tip and is about to push when gw3 pushes first.
        var policy = PublishPolicy(maxAttempts: 5, baseDelay: 0.01, maxDelay: 0.05)
        let gw3State = scratch.sub("gw3")
        let source = try source(remote)
        policy.beforePush = { attempt in
            guard attempt == 1 else { return }
            let other = try! StatusPublisher.publish(StatusReport(gateway: "gw3", outcome: .inSync, checkedAt: StatusTime(secondsSince1970: 5)),
                                                     to: source, statusBranch: "reconcile-status", stateDir: gw3State)
            XCTAssertNotNil(other.commit)
        }
        let raced = try StatusPublisher.publish(report("gw2", at: 2_000), to: source, statusBranch: "reconcile-status",
                                                stateDir: scratch.sub("gw2"), policy: policy)
        XCTAssertEqual(raced.attempts, 2, "refused once (non-fast-forward), laid again on the new tip")
        XCTAssertEqual(remote.remoteRef("reconcile-status"), raced.commit)
        XCTAssertEqual(remote.remoteGit("ls-tree --name-only reconcile-status status/").trimmed, "status/gw1\nstatus/gw2\nstatus/gw3")
        XCTAssertEqual(remote.remoteGit("rev-list --count reconcile-status").trimmed, "3")
        XCTAssertEqual(remote.remoteGit("rev-list --merges reconcile-status").trimmed, "")
    }

    func testPushRaceGivesUpAfterTheBound() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let source = try source(remote)
        let otherState = scratch.sub("other")
        var policy = PublishPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.002)
        policy.beforePush = { attempt in
            _ = try! StatusPublisher.publish(StatusReport(gateway: "other", outcome: .inSync, warnings: ["round \(attempt)"],
                                                          checkedAt: StatusTime(secondsSince1970: 0)),
                                             to: source, statusBranch: "reconcile-status", stateDir: otherState)
        }
        XCTAssertThrowsError(try StatusPublisher.publish(report("gw1", at: 1), to: source, statusBranch: "reconcile-status",
                                                         stateDir: scratch.sub("gw1"), policy: policy)) { error in
            guard case .failed(.statusNotPublished, let message)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("gave up after 3 attempts"), message)
        }
    }

    func testFleetReadsEveryGatewaysReport() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let source = try source(remote)
        for name in ["gw-b", "gw-a"] {
            _ = try StatusPublisher.publish(report(name, at: 1_000), to: source, statusBranch: "reconcile-status", stateDir: scratch.sub(name))
        }
        let fleet = try StatusPublisher.fleet(from: source, statusBranch: "reconcile-status", stateDir: scratch.sub("reader"))
        XCTAssertEqual(fleet.map(\.gateway), ["gw-a", "gw-b"])
        XCTAssertEqual(try StatusPublisher.fleet(from: source, statusBranch: "nothing-yet", stateDir: scratch.sub("reader")).count, 0)
    }
}
