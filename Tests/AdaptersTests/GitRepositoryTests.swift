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
}
