import Foundation
import TestSupport
import XCTest
@testable import Adapters
import CGit2
@testable import Controller

/// Following the exposure repo through a working clone: clone, fast-forward, force-push, failures.
final class GitSourceTests: XCTestCase {
    func source(_ url: String, branch: String? = nil, allowForcePush: Bool = false) throws -> RemoteSource {
        RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(url)), branch: branch, allowForcePush: allowForcePush)
    }

    func sync(_ source: RemoteSource, stateDir: String) throws(ReconcileError) -> FetchedHead {
        let head = try GitSource.fetch(source, stateDir: stateDir, statusBranch: "reconcile-status")
        _ = try GitSource.checkHistory(head, applied: AppliedCommitStore.load(stateDir: stateDir), source: source, stateDir: stateDir)
        try GitSource.checkout(head, stateDir: stateDir)
        return head
    }

    func testFirstFetchClonesTheRemotesDefaultBranch() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch, branch: "trunk")
        let state = scratch.sub("state")
        let head = try sync(try source(remote.url), stateDir: state)
        XCTAssertEqual(head.branch, "trunk", "no --branch: the remote's default branch")
        XCTAssertEqual(head.commit.id, remote.head)
        XCTAssertEqual(head.commit.subject, "Initial exposure")
        let clone = GitSource.clonePath(stateDir: state)
        XCTAssertEqual(try String(contentsOfFile: clone + "/exposure.yaml", encoding: .utf8),
                       try String(contentsOfFile: remote.work + "/exposure.yaml", encoding: .utf8))
        XCTAssertEqual(sh("git rev-parse HEAD", in: clone).trimmed, remote.head, "the clone's HEAD is the fetched commit")
        XCTAssertEqual(sh("git status --porcelain", in: clone).trimmed, "", "the clone's work tree is clean")
    }

    func testFastForwardMovesTheCloneAndOnlyTheFollowedBranchIsFetched() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        let src = try source(remote.url, branch: "main")
        _ = try sync(src, stateDir: state)
        try AppliedCommitStore.save(AppliedCommit(id: remote.head, subject: "Initial exposure", source: remote.url, branch: "main"), stateDir: state)
        let second = remote.commit("exposure.yaml", desiredWithGrafana, "Expose grafana")
        remote.git("push -q origin HEAD:refs/heads/reconcile-status")
        let head = try sync(src, stateDir: state)
        XCTAssertEqual(head.commit.id, second)
        XCTAssertEqual(head.commit.subject, "Expose grafana")
        let clone = GitSource.clonePath(stateDir: state)
        XCTAssertTrue(try String(contentsOfFile: clone + "/exposure.yaml", encoding: .utf8).contains("grafana"))
        XCTAssertEqual(sh("git for-each-ref --format='%(refname)' refs/remotes", in: clone).trimmed, "refs/remotes/origin/main",
                       "pushes to other branches (the status branch) are not even fetched")
    }

    func testEditsInTheCloneAreDiscarded() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        _ = try sync(try source(remote.url), stateDir: state)
        let clone = GitSource.clonePath(stateDir: state)
        try Data("domain: hacked.example.com\nservices: {}\n".utf8).write(to: URL(fileURLWithPath: clone + "/exposure.yaml"))
        try Data("stray".utf8).write(to: URL(fileURLWithPath: clone + "/stray.txt"))
        _ = try sync(try source(remote.url), stateDir: state)
        XCTAssertFalse(try String(contentsOfFile: clone + "/exposure.yaml", encoding: .utf8).contains("hacked"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: clone + "/stray.txt"))
    }

    func testForcePushThatDropsTheAppliedCommitIsRefusedUnlessAllowed() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        let applied = remote.commit("exposure.yaml", desiredWithGrafana, "Expose grafana")
        _ = try sync(try source(remote.url), stateDir: state)
        try AppliedCommitStore.save(AppliedCommit(id: applied, subject: "Expose grafana", source: remote.url, branch: "main"), stateDir: state)

        remote.git("reset -q --hard HEAD~1")
        let rewritten = remote.commit("README.md", "rewritten\n", "Rewrite history", push: false)
        remote.git("push -q --force origin HEAD")

        XCTAssertThrowsError(try sync(try source(remote.url), stateDir: state)) { error in
            guard case .invalidInput(let list, _)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertTrue(list.description.contains("force-pushed"), list.description)
            XCTAssertTrue(list.description.contains(String(applied.prefix(12))), list.description)
            XCTAssertTrue(list.description.contains("--allow-force-push"), list.description)
        }
        let clone = GitSource.clonePath(stateDir: state)
        XCTAssertEqual(sh("git rev-parse HEAD", in: clone).trimmed, applied, "refused: the clone stays at the applied commit")
        XCTAssertTrue(try String(contentsOfFile: clone + "/exposure.yaml", encoding: .utf8).contains("grafana"))

        let allowed = try source(remote.url, allowForcePush: true)
        let head = try GitSource.fetch(allowed, stateDir: state, statusBranch: "reconcile-status")
        let note = try GitSource.checkHistory(head, applied: AppliedCommitStore.load(stateDir: state), source: allowed, stateDir: state)
        XCTAssertTrue(note?.contains("followed") ?? false, "\(note ?? "nil")")
        try GitSource.checkout(head, stateDir: state)
        XCTAssertEqual(sh("git rev-parse HEAD", in: clone).trimmed, rewritten)
    }

    func testAFastForwardIsNotAForcePush() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        _ = try sync(try source(remote.url), stateDir: state)
        try AppliedCommitStore.save(AppliedCommit(id: remote.head, subject: "", source: remote.url, branch: "main"), stateDir: state)
        remote.commit("README.md", "one\n", "One")
        remote.commit("README.md", "two\n", "Two")
        let head = try GitSource.fetch(try source(remote.url), stateDir: state, statusBranch: "reconcile-status")
        XCTAssertNil(try GitSource.checkHistory(head, applied: AppliedCommitStore.load(stateDir: state), source: try source(remote.url), stateDir: state))
    }

    func testUnreachableRemoteIsAWorldErrorWithLibgit2sMessageAndTheCloneStays() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        _ = try sync(try source(remote.url), stateDir: state)
        let clone = GitSource.clonePath(stateDir: state)
        let before = sh("git rev-parse HEAD", in: clone).trimmed

        try FileManager.default.moveItem(atPath: remote.bare, toPath: remote.bare + ".away")
        XCTAssertThrowsError(try sync(try source(remote.url), stateDir: state)) { error in
            guard case .failed(.gitUnreachable, let message)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("cannot fetch"), message)
            XCTAssertTrue(message.contains("remote.git"), "libgit2's message names the path: \(message)")
        }
        // Nothing listens on port 1: connection refused, also a world error.
        XCTAssertThrowsError(try sync(try source("ssh://git@127.0.0.1:1/x.git"), stateDir: state)) { error in
            guard case .failed(.gitUnreachable, let message)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.lowercased().contains("connect") || message.contains("refused"), message)
        }
        XCTAssertEqual(sh("git rev-parse HEAD", in: clone).trimmed, before, "the last state stays")

        try FileManager.default.moveItem(atPath: remote.bare + ".away", toPath: remote.bare)
        XCTAssertEqual(try sync(try source(remote.url), stateDir: state).commit.id, remote.head, "the next cycle retries and succeeds")
    }

    func testCorruptRemoteIsReportedNotFatal() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        remote.remoteGit("repack -q -a -d")
        let packs = try FileManager.default.contentsOfDirectory(atPath: remote.bare + "/objects/pack").filter { $0.hasSuffix(".pack") }
        XCTAssertFalse(packs.isEmpty)
        for pack in packs {
            // Keep the index, truncate the data: the remote advertises a head it cannot deliver.
            let handle = try XCTUnwrap(FileHandle(forWritingAtPath: remote.bare + "/objects/pack/" + pack))
            try handle.truncate(atOffset: 40)
            try handle.close()
        }
        XCTAssertThrowsError(try sync(try source(remote.url), stateDir: scratch.sub("state"))) { error in
            guard case .failed(.gitUnreachable, let message)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertFalse(message.isEmpty)
        }
    }

    func testUnusableCloneIsMovedAsideAndTheNextCycleClonesAfresh() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        _ = try sync(try source(remote.url), stateDir: state)
        let clone = GitSource.clonePath(stateDir: state)
        try FileManager.default.removeItem(atPath: clone + "/.git/objects")
        try FileManager.default.removeItem(atPath: clone + "/.git/HEAD")
        XCTAssertThrowsError(try sync(try source(remote.url), stateDir: state)) { error in
            guard case .failed(.gitUnreachable, let message)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("moved it to"), message)
        }
        XCTAssertEqual(try sync(try source(remote.url), stateDir: state).commit.id, remote.head)
    }

    func testFollowingTheStatusBranchIsRefused() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        XCTAssertThrowsError(try GitSource.fetch(try source(remote.url, branch: "reconcile-status"), stateDir: scratch.sub("state"),
                                                 statusBranch: "reconcile-status")) { error in
            guard case .invalidInput(let list, _)? = error as? ReconcileError else { return XCTFail("\(error)") }
            XCTAssertTrue(list.description.contains("status branch"), list.description)
        }
        XCTAssertThrowsError(try GitSource.fetch(try source(remote.url, branch: "nope"), stateDir: scratch.sub("state"),
                                                 statusBranch: "reconcile-status")) { error in
            XCTAssertTrue("\(error)".contains("no branch 'nope'"), "\(error)")
        }
    }

    func testOwnerValidationIsRelaxedOnlyForTheStateDir() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        _ = try sync(try source(remote.url), stateDir: state)
        let clone = GitSource.clonePath(stateDir: state)
        let head = remote.head
        // Another user owns both repositories, as when a unit or a container runs with another uid.
        XCTAssertEqual(sh("chown -R 54321:54321 '\(clone)' '\(remote.work)'", in: scratch.path).status, 0)
        XCTAssertThrowsError(try GitRepository(path: clone), "without the relaxation libgit2 refuses it")
        XCTAssertNoThrow(try GitRepository.openOwned(clone), "our own clone opens whoever owns it")
        XCTAssertEqual(try sync(try source(remote.url), stateDir: state).commit.id, head)
        XCTAssertThrowsError(try GitRepository(path: remote.work), "a user's checkout is still checked") { error in
            XCTAssertEqual((error as? GitError)?.code, GIT_EOWNER.rawValue, "\(error)")
            XCTAssertTrue("\(error)".contains("owned by another user"), "\(error)")
        }
        XCTAssertTrue(GitOwnerValidation.isEnabled, "the relaxation is undone after each use")
        // The remote is the user's, not ours: still checked, and the message says what is wrong.
        XCTAssertEqual(sh("chown -R 54321:54321 '\(remote.bare)'", in: scratch.path).status, 0)
        XCTAssertThrowsError(try sync(try source(remote.url), stateDir: state)) { error in
            XCTAssertTrue("\(error)".contains("owned by another user"), "\(error)")
        }
    }

    func testRepeatedCyclesLeakNoFileDescriptors() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let state = scratch.sub("state")
        let src = try source(remote.url)
        _ = try sync(src, stateDir: state)
        let before = openFileDescriptors()
        for index in 0..<40 {
            if index % 10 == 0 { remote.commit("README.md", "\(index)\n", "Change \(index)") }
            _ = try sync(src, stateDir: state)
            _ = try? GitSource.fetch(try source("file:///nonexistent/remote.git"), stateDir: state, statusBranch: "reconcile-status")
        }
        XCTAssertLessThanOrEqual(openFileDescriptors(), before + 2, "every git handle is freed on every path")
    }
}
