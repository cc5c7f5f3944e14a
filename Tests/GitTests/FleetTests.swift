import Foundation
import TestSupport
import XCTest

/// Many gateways, one repo: 50 `reconcile` processes (separate state dirs and names) apply and push their
/// status to one bare repo at once. Every status lands, none is overwritten, the history is linear.
final class FleetTests: XCTestCase {
    func testFiftyGatewaysApplyAndPublishAtOnce() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let count = 50
        let names = (0..<count).map { String(format: "gw-%02d", $0) }
        let roots = names.map { scratch.gateway($0) }

        let start = Date()
        let processes = try zip(names, roots).map { name, root in
            try ReconcileProcess(["apply", "--no-runtime", "--repo", remote.url, "--root", root, "--gateway", name], scratch: scratch.path)
        }
        let results = processes.map { $0.wait(timeout: 240) }
        let elapsed = Date().timeIntervalSince(start)

        var retries = 0, mostRetries = 0
        for (name, result) in zip(names, results) {
            XCTAssertEqual(result.status, 0, "\(name): \(result.stdout)\n\(result.stderr)")
            guard let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("status: committed") }),
                  let number = line.split(separator: " ").dropLast().last.flatMap({ Int($0) }) else {
                XCTFail("\(name) did not commit its status: \(result.stdout)\n\(result.stderr)")
                continue
            }
            retries += number
            mostRetries = max(mostRetries, number)
        }
        let folders = remote.remoteGit("ls-tree --name-only reconcile-status status/").trimmed.split(separator: "\n").map(String.init)
        XCTAssertEqual(folders, names.map { "status/\($0)" }, "every gateway's status landed")
        for name in names {
            let json = remote.remoteGit("show reconcile-status:status/\(name)/status.json").output
            XCTAssertTrue(json.contains("\"gateway\" : \"\(name)\""), "\(name): \(json.prefix(200))")
            XCTAssertTrue(json.contains("\"outcome\" : \"applied\""), "\(name): \(json.prefix(200))")
        }
        XCTAssertEqual(remote.remoteGit("rev-list --count reconcile-status").trimmed, "\(count)", "one commit per gateway, none lost")
        XCTAssertEqual(remote.remoteGit("rev-list --merges reconcile-status").trimmed, "", "no merge commits")
        let parents = remote.remoteGit("rev-list --parents reconcile-status").trimmed.split(separator: "\n").map { $0.split(separator: " ").count - 1 }
        XCTAssertEqual(parents.filter { $0 == 1 }.count, count - 1, "a single line of history")
        XCTAssertEqual(parents.filter { $0 == 0 }.count, 1)
        XCTAssertEqual(remote.remoteRef("main"), remote.head, "the followed branch is untouched")

        let fleet = try reconcile(["status", "--all", "--repo", remote.url, "--root", roots[0], "--gateway", names[0]], scratch: scratch)
        XCTAssertEqual(fleet.status, 0, fleet.stderr)
        XCTAssertEqual(fleet.stdout.split(separator: "\n").filter { $0.hasPrefix("gw-") && $0.contains("applied") }.count, count, fleet.stdout)

        print("fleet: \(count) gateways applied and published in \(String(format: "%.2f", elapsed)) s with \(retries) push retries in total (at most \(mostRetries) for one gateway; the bound is 19)")
        XCTAssertLessThan(elapsed, 90, "50 gateways must finish well within CI's limits")
    }
}
