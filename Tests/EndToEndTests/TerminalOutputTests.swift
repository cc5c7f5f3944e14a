import Foundation
import TestSupport
import XCTest

/// What reconcile prints quotes words others chose: a commit's subject, a file's name. They reach the
/// terminal as text, never as escape sequences that could clear the screen or hide the plan's lines.
final class TerminalOutputTests: XCTestCase {
    func testACommitSubjectWithEscapeSequencesIsPrintedAsText() throws {
        let scratch = TemporaryDirectory(prefix: "reconcile-terminal")
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("example-repo").path, toPath: scratch.sub("repo"))
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("example-gateway").path, toPath: scratch.sub("gateway"))
        let git = ["git", "-C", scratch.sub("repo"), "-c", "user.name=t", "-c", "user.email=t@example.org"]
        XCTAssertEqual(try TestSupport.run(git + ["init", "-q"]).status, 0)
        XCTAssertEqual(try TestSupport.run(git + ["add", "."]).status, 0)
        let subject = "innocent\u{1B}]0;owned\u{07}\u{1B}[2J\u{1B}[H"
        XCTAssertEqual(try TestSupport.run(git + ["commit", "-q", "-m", subject]).status, 0)
        let plan = try TestSupport.run([try reconcileBinary().path, "plan", "--repo", scratch.sub("repo"), "--root", scratch.sub("gateway")])
        XCTAssertEqual(plan.status, 2, plan.output)
        XCTAssertFalse(plan.stdout.unicodeScalars.contains("\u{1B}") || plan.stdout.unicodeScalars.contains("\u{07}"), plan.stdout.debugDescription)
        XCTAssertTrue(plan.stdout.contains(#"innocent\x1b]0;owned\x07\x1b[2J\x1b[H"#), plan.stdout)
        XCTAssertTrue(plan.stdout.contains(">>> NEW ON THE INTERNET"), "the lines a reviewer must see are still there")
    }
}
