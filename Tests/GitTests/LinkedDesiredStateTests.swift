import Foundation
import TestSupport
import XCTest
@testable import Adapters
@testable import Controller

/// A commit whose `exposure.yaml` (or a gateway's own file) is a symbolic link, as libgit2 checks it out in
/// the working clone: refused before it is read, and nothing of what it points at reaches the status
/// report published on the status branch.
final class LinkedDesiredStateTests: XCTestCase {
    func testACommittedLinkToAFileOutsideTheCloneIsRefusedAndNothingOfItIsPublished() throws {
        let scratch = Scratch()
        let secret = scratch.write("git-credentials", "ghp_0123456789abcdefSECRET: x\n")
        let remote = ExposureRemote(scratch)
        remote.git("rm -q exposure.yaml && ln -s '\(secret)' exposure.yaml && git add exposure.yaml && git commit -q -m 'Link' && git push -q origin HEAD")
        let root = scratch.gateway("gw1")
        let settings = ReconcileSettings(repo: remote.url, paths: .defaults(root: root), gateway: "gw1",
                                         remote: RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(remote.url)), allowForcePush: false))
        let result = ReconcileCycle.run(settings, options: .init(mode: .plan(compose: nil, caddy: nil), report: true, publish: true))
        let error = try XCTUnwrap(result.error)
        XCTAssertEqual(error.reason, .invalidDesiredState)
        XCTAssertFalse(error.isRetryable)
        XCTAssertTrue(error.description.contains("exposure.yaml: is a symbolic link (to \(secret))"), error.description)
        let published = remote.remoteGit("show reconcile-status:status/gw1/status.json").output
            + remote.remoteGit("show reconcile-status:status/gw1/status.md").output
        XCTAssertTrue(published.contains("symbolic link"), "the refusal is published: \(published)")
        XCTAssertFalse(published.contains("ghp_") || error.description.contains("ghp_"), published)
    }

    func testACommittedLinkToANamedPipeIsRefusedAtOnce() throws {
        let scratch = Scratch()
        let fifo = scratch.sub("a-pipe")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let remote = ExposureRemote(scratch)
        try FileManager.default.createDirectory(atPath: remote.work + "/gateways", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: remote.work + "/gateways/gw1.yaml", withDestinationPath: fifo)
        remote.git("add gateways && git commit -q -m 'Link' && git push -q origin HEAD")
        let root = scratch.gateway("gw1")
        let settings = ReconcileSettings(repo: remote.url, paths: .defaults(root: root), gateway: "gw1",
                                         remote: RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(remote.url)), allowForcePush: false))
        let outcome = finishing(within: 20, unblocking: fifo) {
            ReconcileCycle.run(settings, options: .init(mode: .plan(compose: nil, caddy: nil), report: false, publish: false)).error
        }
        guard let outcome else { return XCTFail("a committed link to a named pipe hung the run") }
        let error = try XCTUnwrap(outcome)
        XCTAssertEqual(error.reason, .invalidDesiredState)
        XCTAssertTrue(error.description.contains("gateways/gw1.yaml: is a symbolic link"), error.description)
    }
}

