import Foundation
import TestSupport
import XCTest
@testable import Adapters
@testable import Controller
import StatusReport

/// One reconcile against a remote repo, in process: what is applied, what is reported, what survives failures.
final class ReconcileCycleTests: XCTestCase {
    func settings(_ remote: ExposureRemote, gateway: String, root: String, allowForcePush: Bool = false) throws -> ReconcileSettings {
        ReconcileSettings(repo: remote.url, paths: .defaults(root: root), gateway: gateway,
                          remote: RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(remote.url)), allowForcePush: allowForcePush))
    }

    let apply = ReconcileCycle.Options(mode: .apply(nil), report: true, publish: true)

    func testApplyNamesTheDesiredCommitAndPublishesTheReport() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        let result = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        XCTAssertNil(result.error)
        XCTAssertNil(result.reportError)
        XCTAssertEqual(result.plan?.desired.commit, remote.head)
        XCTAssertEqual(result.plan?.desired.commitSubject, "Initial exposure")
        XCTAssertEqual(result.plan?.desired.file, "exposure.yaml", "messages name the file inside the repo, not the clone")
        let report = try XCTUnwrap(result.report)
        XCTAssertEqual(report.outcome, .applied)
        XCTAssertEqual(report.desired?.id, remote.head)
        XCTAssertEqual(report.lastApplied?.id, remote.head)
        XCTAssertEqual(Set(report.services.map(\.state)), [.changed])
        XCTAssertEqual(report.source?.branch, "main")
        XCTAssertNotNil(result.publication?.commit)
        let published = remote.remoteGit("show reconcile-status:status/gw1/status.md").output
        XCTAssertTrue(published.contains("Initial exposure"), published)
        XCTAssertTrue(published.contains(String(remote.head.prefix(12))), published)

        let second = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        XCTAssertEqual(second.report?.outcome, .inSync)
        XCTAssertEqual(Set(second.report?.services.map(\.state) ?? []), [.exposed])
        let third = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        XCTAssertNil(third.publication?.commit, "nothing changed but the time: no commit")
        XCTAssertEqual(remote.remoteGit("rev-list --count reconcile-status").trimmed, "2")
    }

    func testUnreachableRemoteKeepsTheLiveStateReportsAndTheNextCycleRetries() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        XCTAssertNil(ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply).error)
        remote.commit("exposure.yaml", desiredWithGrafana, "Expose grafana")
        let live = liveFiles(root)

        try FileManager.default.moveItem(atPath: remote.bare, toPath: remote.bare + ".away")
        let failed = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        guard case .failed(.gitUnreachable, let message)? = failed.error else { return XCTFail("\(String(describing: failed.error))") }
        XCTAssertTrue(message.contains("cannot fetch"), message)
        XCTAssertEqual(liveFiles(root), live, "nothing was touched")
        let report = try XCTUnwrap(failed.report)
        XCTAssertEqual(report.outcome, .failed)
        XCTAssertEqual(report.reason, "git_unreachable")
        XCTAssertEqual(report.retryable, true)
        XCTAssertEqual(report.error, message)
        XCTAssertEqual(report.services.map(\.name), ["homeassistant", "jellyfin", "nextcloud"], "what is live is still reported")
        XCTAssertEqual(Set(report.services.map(\.state)), [.exposed])
        XCTAssertNotNil(failed.reportError, "publishing fails too, and says so")
        XCTAssertEqual(StatusPublisher.loadLocal(stateDir: root + "/var/lib/reconcile")?.outcome, .failed, "the local report is saved anyway")

        try FileManager.default.moveItem(atPath: remote.bare + ".away", toPath: remote.bare)
        let recovered = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        XCTAssertNil(recovered.error)
        XCTAssertEqual(recovered.report?.services.first { $0.name == "grafana" }?.state, .changed)
        XCTAssertTrue(remote.remoteGit("show reconcile-status:status/gw1/status.json").output.contains("Expose grafana"))
    }

    func testRefusedForcePushIsReportedAndNothingMoves() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        let applied = remote.head
        XCTAssertNil(ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply).error)
        remote.git("commit -q --amend -m 'Rewritten initial'")
        remote.git("push -q --force origin HEAD")
        let live = liveFiles(root)
        let refused = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        guard refused.error?.reason == .historyRewritten else { return XCTFail("\(String(describing: refused.error))") }
        XCTAssertEqual(liveFiles(root), live)
        XCTAssertEqual(refused.report?.desired?.subject, "Rewritten initial", "the report names the refused commit")
        XCTAssertEqual(refused.report?.lastApplied?.id, applied)
        XCTAssertTrue(remote.remoteGit("show reconcile-status:status/gw1/status.md").output.contains("force-pushed"))

        let followed = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root, allowForcePush: true), options: apply)
        XCTAssertNil(followed.error)
        XCTAssertTrue(followed.notes.contains { $0.contains("force-pushed") })
        XCTAssertEqual(followed.report?.lastApplied?.subject, "Rewritten initial")
        XCTAssertTrue(followed.report?.warnings.contains { $0.contains("--allow-force-push") } ?? false)
    }

    func testEachGatewayReadsItsOwnFileOrTheSharedOne() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        remote.commit("gateways/gw-b.yaml", "domain: b.example.net\nservices:\n  wiki:\n    host: wiki\n    upstream: 10.0.0.5:80\n", "gw-b publishes a wiki")
        let planOnly = ReconcileCycle.Options(mode: .plan(compose: nil, caddy: nil), report: false, publish: false)
        let a = ReconcileCycle.run(try settings(remote, gateway: "gw-a", root: scratch.gateway("a")), options: planOnly)
        XCTAssertEqual(a.plan?.desired.file, "exposure.yaml")
        XCTAssertEqual(a.plan?.desired.domain, "mondomaine.ddnsfree.com")
        let b = ReconcileCycle.run(try settings(remote, gateway: "gw-b", root: scratch.gateway("b")), options: planOnly)
        XCTAssertEqual(b.plan?.desired.file, "gateways/gw-b.yaml")
        XCTAssertEqual(b.plan?.desired.services, ["wiki"])
        XCTAssertNil(b.publication, "a plan without --publish-status publishes nothing")
        XCTAssertEqual(remote.remoteRef("reconcile-status"), "")

        // A mistake in gw-b's file is reported at its place in that file.
        remote.commit("gateways/gw-b.yaml", "domain: b.example.net\nservices:\n  wiki:\n    host: wiki\n", "Break gw-b")
        let broken = ReconcileCycle.run(try settings(remote, gateway: "gw-b", root: scratch.gateway("b2")), options: planOnly)
        XCTAssertTrue(broken.error?.description.contains("gateways/gw-b.yaml:3:3") ?? false, "\(String(describing: broken.error))")
    }

    func testDriftFoundByAPlanIsReportedThenRestoredByApply() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        XCTAssertNil(ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply).error)
        let caddyfile = root + "/usr/local/caddy/Caddyfile"
        let edited = try String(contentsOfFile: caddyfile, encoding: .utf8).replacingOccurrences(of: "host.docker.internal:8096", with: "10.9.9.9:8096")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: caddyfile))

        let plan = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: .init(mode: .plan(compose: nil, caddy: nil), report: true, publish: true))
        XCTAssertEqual(plan.report?.outcome, .pending)
        let jellyfin = try XCTUnwrap(plan.report?.services.first { $0.name == "jellyfin" })
        XCTAssertEqual(jellyfin.state, .drifted)
        XCTAssertTrue(jellyfin.reason?.contains("edited by hand") ?? false, "\(String(describing: jellyfin.reason))")
        XCTAssertEqual(plan.report?.targets.first { $0.name == "Caddyfile" }?.state, .pending)
        XCTAssertTrue(remote.remoteGit("show reconcile-status:status/gw1/status.md").output.contains("| jellyfin | drifted |"))

        let restored = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        XCTAssertEqual(restored.report?.services.first { $0.name == "jellyfin" }?.state, .changed)
        XCTAssertTrue(restored.report?.services.first { $0.name == "jellyfin" }?.reason?.hasPrefix("restored") ?? false)
        XCTAssertEqual(restored.report?.services.filter { $0.name != "jellyfin" }.map(\.state), [.exposed, .exposed])
    }

    func testRemovedServiceIsReportedAsRemovedAndLeavesTheDiagram() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        XCTAssertNil(ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply).error)
        let withoutNextcloud = try String(contentsOfFile: remote.work + "/exposure.yaml", encoding: .utf8)
            .components(separatedBy: "\n  nextcloud:")[0] + "\n"
        remote.commit("exposure.yaml", withoutNextcloud, "Stop exposing nextcloud")
        let result = ReconcileCycle.run(try settings(remote, gateway: "gw1", root: root), options: apply)
        XCTAssertNil(result.error, "\(String(describing: result.error))")
        let row = try XCTUnwrap(result.report?.services.first { $0.name == "nextcloud" })
        XCTAssertEqual(row.state, .changed)
        XCTAssertFalse(row.published)
        XCTAssertTrue(row.reason?.hasPrefix("removed") ?? false, "\(String(describing: row.reason))")
        XCTAssertEqual(row.address, "https://cloud.mondomaine.ddnsfree.com")
        XCTAssertFalse(MermaidDiagram.render(try XCTUnwrap(result.report)).contains("nextcloud"))
    }
}
