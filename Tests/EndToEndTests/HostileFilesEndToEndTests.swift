import Foundation
import TestSupport
import XCTest

/// The red team's file cases, through the real `reconcile` executable on a copy of the example gateway:
/// an edit made while apply validates, named pipes in place of every file it reads, a desired state that
/// is a link, a desired state over its bound, a live folder that links out of `--root`, an unsafe state dir.
final class HostileFilesEndToEndTests: XCTestCase {
    func testAHandEditMadeWhileApplyValidatesIsKeptAndTheApplyRollsBackRetryable() throws {
        let box = try BadInputBox(storageMode: false)
        let caddyfile = box.url(of: .caddyfile)
        let before = try box.snapshot()
        let process = Process()
        process.executableURL = try reconcileBinary()
        process.arguments = ["apply", "--no-runtime", "--repo", box.repo.path, "--root", box.gateway.path]
        // A slow validation (a Caddy that takes 3 s to adapt), as the red team's fake admin API did.
        process.environment = ProcessInfo.processInfo.environment.merging(["RECONCILE_FAILPOINT_PAUSE": "after-validate_caddy=3"]) { $1 }
        let stdout = Pipe(), stderr = Pipe()
        (process.standardOutput, process.standardError) = (stdout, stderr)
        try process.run()
        Thread.sleep(forTimeInterval: 1.2)
        let edit = Data("\nhand-added.example.com {\n\trespond \"added by hand during the apply\"\n}\n".utf8)
        let handle = try FileHandle(forWritingTo: caddyfile)
        try handle.seekToEnd()
        try handle.write(contentsOf: edit)
        try handle.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, output + errors)
        XCTAssertTrue(errors.contains("error (changed_during_apply, retryable)"), errors)
        XCTAssertTrue(errors.contains(caddyfile.path), "the message names the file: \(errors)")
        XCTAssertEqual(try Data(contentsOf: caddyfile), (before[caddyfile.path]?.content ?? Data()) + edit,
                       "the hand edit is there, and nothing else changed in the file")
        for (path, entry) in before where path != caddyfile.path {
            XCTAssertEqual(try box.snapshot()[path], entry, "\(path) is as it was (rolled back, or never written)")
        }
        // The next run plans from the edited file: the edit survives the apply that follows.
        let again = try box.run(try reconcileBinary(), ["apply", "--no-runtime"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(try String(contentsOf: caddyfile, encoding: .utf8).contains("hand-added.example.com"))
    }

    func testAsPID1ATemporaryFileLeftByAnEarlierRunDoesNotBlockTheApply() throws {
        // deploy/Dockerfile's container runs reconcile as PID 1, every time: the red team's case, with unshare.
        guard try runProcess(URL(fileURLWithPath: "/usr/bin/unshare"), ["--fork", "--pid", "/bin/true"], timeout: 10).status == 0 else {
            throw XCTSkip("unshare --pid is not allowed here")
        }
        let box = try BadInputBox(storageMode: false)
        let caddyfile = box.url(of: .caddyfile)
        let leftover = caddyfile.deletingLastPathComponent().appendingPathComponent(".Caddyfile.reconcile-1")
        try Data("half of a Caddyfile, from a power cut".utf8).write(to: leftover)
        let apply = try runProcess(URL(fileURLWithPath: "/usr/bin/unshare"),
                                   ["--fork", "--pid", try reconcileBinary().path, "apply", "--no-runtime",
                                    "--repo", box.repo.path, "--root", box.gateway.path], timeout: 60)
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stdout.contains("wrote \(caddyfile.path)"), apply.stdout)
    }

    func testANamedPipeInPlaceOfAnyFileReconcileReadsIsRefusedAtOnce() throws {
        let binary = try reconcileBinary()
        for target in BadInputCorpusTests.Target.allCases {
            let box = try BadInputBox(storageMode: target == .storage)
            let url = box.url(of: target)
            try FileManager.default.removeItem(at: url)
            XCTAssertEqual(mkfifo(url.path, 0o644), 0)
            let started = Date()
            let plan = try runProcess(binary, ["plan", "--repo", box.repo.path, "--root", box.gateway.path], timeout: 10)
            XCTAssertLessThan(Date().timeIntervalSince(started), 5, "\(target.rawValue): refused at once")
            XCTAssertEqual(plan.status, 1, "\(target.rawValue): \(plan.stderr)")
            XCTAssertTrue(plan.stderr.contains(url.path) && plan.stderr.contains("named pipe (FIFO)"), "\(target.rawValue): \(plan.stderr)")
            if target == .desired {
                XCTAssertTrue(plan.stderr.contains("(invalid_desired_state, terminal)"), plan.stderr)
            }
        }
        // The settings and policy files too.
        let box = try BadInputBox(storageMode: false)
        for option in ["--config", "--policy"] {
            let fifo = box.root.appendingPathComponent("fifo\(option)").path
            XCTAssertEqual(mkfifo(fifo, 0o644), 0)
            let plan = try runProcess(binary, ["plan", "--repo", box.repo.path, "--root", box.gateway.path, option, fifo], timeout: 10)
            XCTAssertEqual(plan.status, 1, "\(option): \(plan.stderr)")
            XCTAssertTrue(plan.stderr.contains(fifo) && plan.stderr.contains("named pipe"), "\(option): \(plan.stderr)")
        }
    }

    func testADesiredStateThatIsALinkIsRefusedWithoutShowingWhatItPointsAt() throws {
        let binary = try reconcileBinary()
        let box = try BadInputBox(storageMode: false)
        let desired = box.url(of: .desired)
        let secret = box.root.appendingPathComponent("git-credentials")
        try Data("ghp_0123456789abcdefSECRET: x\n".utf8).write(to: secret)
        let fifo = box.root.appendingPathComponent("a-pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let inside = box.repo.appendingPathComponent("real.yaml")
        try FileManager.default.copyItem(at: desired, to: inside)
        for target in [secret.path, fifo, "real.yaml"] {
            try FileManager.default.removeItem(at: desired)
            try FileManager.default.createSymbolicLink(atPath: desired.path, withDestinationPath: target)
            let plan = try runProcess(binary, ["plan", "--repo", box.repo.path, "--root", box.gateway.path], timeout: 10)
            XCTAssertEqual(plan.status, 1, "\(target): \(plan.stderr)")
            XCTAssertTrue(plan.stderr.contains("(invalid_desired_state, terminal)"), plan.stderr)
            XCTAssertTrue(plan.stderr.contains("\(desired.path): is a symbolic link (to \(target))"), plan.stderr)
            XCTAssertFalse((plan.stdout + plan.stderr).contains("ghp_"), "nothing of the link's target is shown: \(plan.stderr)")
        }
        // A gateway's own file reached through a linked folder.
        try FileManager.default.removeItem(at: desired)
        try FileManager.default.copyItem(at: inside, to: desired)
        let outside = box.root.appendingPathComponent("outside-gateways")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: false)
        try FileManager.default.copyItem(at: secret, to: outside.appendingPathComponent("gw1.yaml"))
        try FileManager.default.createSymbolicLink(atPath: box.repo.appendingPathComponent("gateways").path, withDestinationPath: outside.path)
        let plan = try runProcess(binary, ["plan", "--repo", box.repo.path, "--root", box.gateway.path, "--gateway", "gw1"], timeout: 10)
        XCTAssertEqual(plan.status, 1, plan.stderr)
        XCTAssertTrue(plan.stderr.contains("is reached through gateways, a symbolic link"), plan.stderr)
        XCTAssertFalse((plan.stdout + plan.stderr).contains("ghp_"), plan.stderr)
    }

    func testADesiredStateOverItsBoundIsAnInvalidDesiredStateNotARetry() throws {
        let box = try BadInputBox(storageMode: false)
        try Data(BadInputCorpusTests.padded(.desired, to: 17 << 20)).write(to: box.url(of: .desired))
        let plan = try box.run(try reconcileBinary(), ["plan"])
        XCTAssertEqual(plan.status, 1, plan.stderr)
        XCTAssertTrue(plan.stderr.contains("error (invalid_desired_state, terminal)"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("over the limit"), plan.stderr)
    }

    func testALiveFolderThatLinksOutOfTheRootIsRefusedAndNothingIsWrittenThere() throws {
        let box = try BadInputBox(storageMode: false)
        let folder = box.gateway.appendingPathComponent("usr/local/caddy")
        let outside = box.root.appendingPathComponent("outside-caddy")
        try FileManager.default.moveItem(at: folder, to: outside)
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: outside.path)
        let original = try Data(contentsOf: outside.appendingPathComponent("Caddyfile"))
        let apply = try box.run(try reconcileBinary(), ["apply", "--no-runtime"])
        XCTAssertEqual(apply.status, 1, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("outside it (a symbolic link on the way)"), apply.stderr)
        XCTAssertEqual(try Data(contentsOf: outside.appendingPathComponent("Caddyfile")), original, "nothing written outside --root")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), ["Caddyfile"])
    }

    func testAStateDirOthersMayWriteInIsRefusedWithTheFix() throws {
        let box = try BadInputBox(storageMode: false)
        try FileManager.default.createDirectory(at: box.stateDir, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(box.stateDir.path, 0o777), 0)
        let victim = box.root.appendingPathComponent("victim")
        try Data("precious\n".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(atPath: box.stateDir.appendingPathComponent("backups").path, withDestinationPath: box.root.path)
        let before = try box.snapshot()
        let apply = try box.run(try reconcileBinary(), ["apply", "--no-runtime"])
        XCTAssertEqual(apply.status, 1, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("error (invalid_settings, terminal)"), apply.stderr)
        XCTAssertTrue(apply.stderr.contains("chmod go-w \(box.stateDir.path)"), apply.stderr)
        XCTAssertEqual(try box.snapshot(), before, "nothing written")
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "precious\n")
        // Fixed as told, the planted link is still refused.
        XCTAssertEqual(chmod(box.stateDir.path, 0o700), 0)
        let again = try box.run(try reconcileBinary(), ["apply", "--no-runtime"])
        XCTAssertEqual(again.status, 1, again.stdout + again.stderr)
        XCTAssertTrue(again.stderr.contains("backups: cannot use it as a folder of reconcile's state: it is a symbolic link"), again.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: box.root.path).filter { $0.hasPrefix("usr_") }, [])
    }
}
