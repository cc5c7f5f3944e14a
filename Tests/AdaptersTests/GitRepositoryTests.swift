import XCTest
import TestSupport
@testable import Adapters

final class GitRepositoryTests: XCTestCase {
    func testHeadCommitOfARealRepository() throws {
        let dir = TemporaryDirectory()
        _ = dir.file("exposure.yaml", "domain: example.com\nservices: {}\n")
        let setup = shell("git init -q -b main . && git add . && git -c user.name=t -c user.email=t@e commit -q -m 'Expose nothing yet' && git rev-parse HEAD", in: dir.path)
        XCTAssertEqual(setup.status, 0, setup.output)
        let head = try XCTUnwrap(try GitRepository(path: dir.path).headCommit())
        XCTAssertEqual(head.id, setup.output.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(head.subject, "Expose nothing yet")
        let repository = try GitRepository(path: dir.path)
        XCTAssertFalse(try repository.hasUncommittedChanges(at: dir.path + "/exposure.yaml"))
        _ = dir.file("exposure.yaml", "domain: example.org\nservices: {}\n")
        XCTAssertTrue(try repository.hasUncommittedChanges(at: dir.path + "/exposure.yaml"))
    }

    func testNotARepositoryIsAGitErrorWithLibgit2sMessage() {
        let dir = TemporaryDirectory()
        XCTAssertThrowsError(try GitRepository(path: dir.path + "/none")) { error in
            let git = error as? GitError
            XCTAssertNotNil(git)
            XCTAssertFalse(git?.message.isEmpty ?? true)
        }
    }

    func testUnbornRepositoryHasNoHead() throws {
        let dir = TemporaryDirectory()
        XCTAssertEqual(shell("git init -q .", in: dir.path).status, 0)
        XCTAssertNil(try GitRepository(path: dir.path).headCommit())
    }

    /// `openIfAny` skips libgit2 only where its discovery could find nothing, and finds what it finds:
    /// a checkout from a subfolder, through a symlink (libgit2 walks up the real path), and a bare one.
    func testOpenIfAnyFindsWhatLibgit2FindsAndSkipsAPlainFolder() throws {
        let plain = TemporaryDirectory()
        _ = plain.file("repo/exposure.yaml", "domain: example.com\nservices: {}\n")
        XCTAssertFalse(GitRepository.mayBeInRepository(plain.path + "/repo"))
        XCTAssertNil(GitRepository.openIfAny(path: plain.path + "/repo"))
        XCTAssertThrowsError(try GitRepository(path: plain.path + "/repo"), "libgit2 finds no repository there either")

        let checkout = TemporaryDirectory()
        _ = checkout.file("gateways/exposure.yaml", "domain: example.com\nservices: {}\n")
        let setup = shell("git init -q -b main . && git add . && git -c user.name=t -c user.email=t@e commit -q -m 'Expose' && git rev-parse HEAD", in: checkout.path)
        XCTAssertEqual(setup.status, 0, setup.output)
        let head = setup.output.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try GitRepository.openIfAny(path: checkout.path + "/gateways")?.headCommit()?.id, head)
        XCTAssertEqual(symlink(checkout.path + "/gateways", plain.path + "/link"), 0)
        XCTAssertTrue(GitRepository.mayBeInRepository(plain.path + "/link"))
        XCTAssertEqual(try GitRepository.openIfAny(path: plain.path + "/link")?.headCommit()?.id, head)

        let bare = TemporaryDirectory()
        XCTAssertEqual(shell("git init -q --bare remote.git", in: bare.path).status, 0)
        XCTAssertTrue(GitRepository.mayBeInRepository(bare.path + "/remote.git"))
        XCTAssertNotNil(GitRepository.openIfAny(path: bare.path + "/remote.git"))
    }
}
