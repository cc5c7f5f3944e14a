import Foundation
import TestSupport
import XCTest

/// The options and subcommands as users type them, through the real executable.
final class CommandLineTests: XCTestCase {
    func testPlanNamesTheDesiredCommitAndPublishesOnlyWhenAsked() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        let plan = try reconcile(["plan", "--repo", remote.url, "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertEqual(plan.status, 2, plan.stderr)
        XCTAssertTrue(plan.stdout.hasPrefix("Plan for mondomaine.ddnsfree.com: desired state exposure.yaml at \(remote.head.prefix(12)) \"Initial exposure\"\n"), plan.stdout)
        XCTAssertEqual(remote.remoteRef("reconcile-status"), "", "a plain plan publishes nothing")

        let published = try reconcile(["plan", "--publish-status", "--repo", remote.url, "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertEqual(published.status, 2, published.stderr)
        XCTAssertTrue(published.stdout.contains("status: committed"), published.stdout)
        XCTAssertTrue(remote.remoteGit("show reconcile-status:status/gw1/status.json").output.contains("\"outcome\" : \"pending\""))

        let json = try reconcile(["plan", "--json", "--publish-status", "--repo", remote.url, "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)), "with --json, stdout stays JSON: \(json.stdout)")
        XCTAssertTrue(json.stderr.contains("status: unchanged"), json.stderr)
    }

    func testStatusPrintsTheLastLocalReport() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        let before = try reconcile(["status", "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertEqual(before.status, 1)
        XCTAssertTrue(before.stderr.contains("run `reconcile apply` first"), before.stderr)

        XCTAssertEqual(try reconcile(["apply", "--no-runtime", "--repo", remote.url, "--root", root, "--gateway", "gw1"], scratch: scratch).status, 0)
        let status = try reconcile(["status", "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertEqual(status.status, 0, status.stderr)
        // Text for the terminal: no Markdown table, no HTML entity, no diagram source.
        XCTAssertTrue(status.stdout.hasPrefix("Gateway gw1: applied\n"), status.stdout)
        XCTAssertTrue(status.stdout.contains("host.docker.internal:8096"), status.stdout)
        for markup in ["&gt;", "&lt;", "|---", "```", "# "] { XCTAssertFalse(status.stdout.contains(markup), "\(markup) in \(status.stdout)") }
        // The report beside it, for a forge, stays Markdown.
        let markdown = try String(contentsOfFile: root + "/var/lib/reconcile/status/status.md", encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# Gateway gw1: applied\n") && markdown.contains("```mermaid"), markdown)
        let json = try reconcile(["status", "--json", "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertTrue(json.stdout.contains("\"gateway\" : \"gw1\""), json.stdout)

        let all = try reconcile(["status", "--all", "--root", root], scratch: scratch)
        XCTAssertEqual(all.status, 1, "--all needs a remote")
    }

    func testLocalFolderRepoKeepsWorkingAndRefusesRemoteOnlyOptions() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        let local = try reconcile(["plan", "--repo", remote.work, "--root", root, "--gateway", "gw1"], scratch: scratch)
        XCTAssertEqual(local.status, 2, local.stderr)
        XCTAssertTrue(local.stdout.contains("desired state \(remote.work)/exposure.yaml at \(remote.head.prefix(12))"), local.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/var/lib/reconcile"), "a local plan creates no state")

        let branch = try reconcile(["plan", "--repo", remote.work, "--root", root, "--branch", "main"], scratch: scratch)
        XCTAssertEqual(branch.status, 1)
        XCTAssertTrue(branch.stderr.contains("--branch: applies to a git remote"), branch.stderr)

        let badName = try reconcile(["plan", "--repo", remote.url, "--root", root, "--gateway", "../etc"], scratch: scratch)
        XCTAssertEqual(badName.status, 1)
        XCTAssertTrue(badName.stderr.contains("not a valid gateway name"), badName.stderr)

        let sameBranch = try reconcile(["plan", "--repo", remote.url, "--root", root, "--gateway", "gw1", "--branch", "main", "--status-branch", "main"], scratch: scratch)
        XCTAssertEqual(sameBranch.status, 1)
        XCTAssertTrue(sameBranch.stderr.contains("--status-branch"), sameBranch.stderr)
    }
}
