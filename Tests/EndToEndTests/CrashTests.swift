import Foundation
import XCTest

/// kill -9 at every step of an apply: each live file is then entirely old or entirely new, and the
/// next apply converges. The process kills itself through RECONCILE_FAILPOINT (see Failpoint.swift).
final class CrashTests: XCTestCase {
    static let failpoints = ["after-backup", "after-write:caddyfile", "after-write:home_assistant", "after-write:compose", "after-ledger"]

    func testKillAtEveryStepLeavesOldOrNewFilesAndTheNextApplyConverges() throws {
        // The files as a complete apply leaves them.
        let reference = try Sandbox()
        let old = try reference.liveFiles()
        XCTAssertEqual(try reference.reconcile(["apply", "--no-runtime"]).status, 0)
        let new = try reference.liveFiles()
        XCTAssertEqual(Set(old.keys.map { URL(fileURLWithPath: $0).lastPathComponent }), ["Caddyfile", "configuration.yaml", "docker-compose.yml"])

        for failpoint in Self.failpoints {
            let box = try Sandbox()
            let crashed = try box.reconcile(["apply", "--no-runtime"], environment: ["RECONCILE_FAILPOINT": failpoint])
            XCTAssertTrue(crashed.killedBySignal, "\(failpoint): the process should have died by SIGKILL (status \(crashed.status))")
            let crashedFiles = try box.liveFiles()
            XCTAssertEqual(crashedFiles.count, old.count, "\(failpoint): every live path is looked at")
            for (path, state) in crashedFiles {
                let name = URL(fileURLWithPath: path).lastPathComponent
                let before = old.first { $0.key.hasSuffix("/" + name) }?.value
                let after = new.first { $0.key.hasSuffix("/" + name) }?.value
                // A file that existed before the crash exists after it, entirely old or entirely new.
                if before != .absent { XCTAssertNotEqual(state, .absent, "\(failpoint): \(name) was lost") }
                XCTAssertTrue(state == before || state == after, "\(failpoint): \(name) is neither the old nor the new file (\(state))")
            }
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: box.gateway.path).filter { $0.contains(".reconcile-") }
            XCTAssertEqual(leftovers, [], "\(failpoint): no temporary file is left in the live folders")

            let resumed = try box.reconcile(["apply", "--no-runtime"])
            XCTAssertEqual(resumed.status, 0, "\(failpoint): \(resumed.stderr)")
            let converged = try box.reconcile(["--plan"])
            XCTAssertEqual(converged.status, 0, "\(failpoint): the next plan is empty\n\(converged.stdout)")
            for (path, content) in try box.liveFiles() {
                let name = URL(fileURLWithPath: path).lastPathComponent
                XCTAssertEqual(content, new.first { $0.key.hasSuffix("/" + name) }?.value, "\(failpoint): \(name) converged")
            }
        }
    }

    func testTwoAppliesAtOnceOneWaitsForTheOther() throws {
        let box = try Sandbox()
        // flock(1) holding the lock file stands in for a reconcile that is running.
        let lock = box.stateDir.appendingPathComponent("reconcile.lock")
        try FileManager.default.createDirectory(at: box.stateDir, withIntermediateDirectories: true)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [lock.path, "sleep", "2"]
        try holder.run()
        usleep(300_000)
        let started = Date()
        let waiting = try box.reconcile(["apply", "--no-runtime", "--lock-timeout", "10"])
        let waited = Date().timeIntervalSince(started)
        holder.waitUntilExit()
        XCTAssertEqual(waiting.status, 0, waiting.stderr)
        XCTAssertGreaterThan(waited, 1.0, "the second apply waited for the lock")

        let refused = Process()
        refused.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        refused.arguments = [lock.path, "sleep", "3"]
        try refused.run()
        usleep(300_000)
        let gaveUp = try box.reconcile(["apply", "--no-runtime", "--lock-timeout", "0.5"])
        refused.waitUntilExit()
        XCTAssertEqual(gaveUp.status, 1)
        XCTAssertTrue(gaveUp.stderr.contains("another reconcile"), gaveUp.stderr)
    }
}
