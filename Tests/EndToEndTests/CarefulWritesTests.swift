import Foundation
import TestSupport
import XCTest

/// Files written the way a careful admin would, through the real `reconcile` executable: mode, owner
/// and group kept; backups no more readable than their originals; a symlinked live path refused unless
/// allowed; a full disk leaving every file whole; no secret in any output.
final class CarefulWritesTests: XCTestCase {
    func testApplyKeepsModeOwnerAndGroupOfEveryLiveFile() throws {
        let box = try BadInputBox(storageMode: false)
        let files: [(BadInputCorpusTests.Target, Int, uid_t, gid_t)] = [
            (.caddyfile, 0o640, 1234, 2345), (.configuration, 0o600, 1001, 1001), (.compose, 0o664, 0, 2345),
        ]
        for (target, mode, uid, gid) in files {
            let path = box.url(of: target).path
            XCTAssertEqual(chmod(path, mode_t(mode)), 0)
            XCTAssertEqual(chown(path, uid, gid), 0, "the tests run as root, as reconcile does on a gateway")
        }
        let apply = try box.run(try reconcileBinary(), ["apply", "--no-runtime"])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        for (target, mode, uid, gid) in files {
            var info = stat()
            XCTAssertEqual(stat(box.url(of: target).path, &info), 0)
            XCTAssertTrue(apply.stdout.contains("wrote \(box.url(of: target).path)"), apply.stdout)
            XCTAssertEqual(Int(info.st_mode & 0o7777), mode, "\(target.rawValue) mode")
            XCTAssertEqual(info.st_uid, uid, "\(target.rawValue) owner")
            XCTAssertEqual(info.st_gid, gid, "\(target.rawValue) group")
        }
    }

    func testBackupsAreNoMoreReadableThanTheirOriginals() throws {
        let box = try BadInputBox(storageMode: true)
        let caddyfile = box.url(of: .caddyfile).path, storage = box.url(of: .storage).path
        XCTAssertEqual(chmod(caddyfile, 0o640), 0)
        XCTAssertEqual(chmod(storage, 0o600), 0)
        let apply = try box.run(try reconcileBinary(), ["apply", "--no-runtime", "--ha-stopped"])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let backups = box.stateDir.appendingPathComponent("backups")
        var checked = 0
        for (original, mode) in [(caddyfile, 0o640), (storage, 0o600)] {
            let folder = backups.appendingPathComponent(String(original.map { $0 == "/" ? "_" : $0 }.drop { $0 == "_" }))
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bak") }
            XCTAssertEqual(names.count, 1, "\(folder.path): \(names)")
            for name in names {
                var info = stat()
                XCTAssertEqual(stat(folder.appendingPathComponent(name).path, &info), 0)
                XCTAssertEqual(Int(info.st_mode & 0o777), mode, "backup of \(original)")
                XCTAssertEqual(info.st_mode & 0o007, 0, "a backup is never world-readable when its original is not")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 2)
        var state = stat()
        XCTAssertEqual(stat(backups.path, &state), 0)
        XCTAssertEqual(state.st_mode & 0o077, 0, "the backups folder is private to its owner")
    }

    func testASymlinkedLivePathIsRefusedUnlessAllowedThenItsTargetIsEdited() throws {
        let box = try BadInputBox(storageMode: false)
        let link = box.url(of: .caddyfile)
        let outside = box.root.appendingPathComponent("elsewhere/Caddyfile")
        try FileManager.default.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: link, to: outside)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: outside.path)
        let original = try Data(contentsOf: outside)

        let refused = try box.run(try reconcileBinary(), ["apply", "--no-runtime"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("\(link.path): is a symbolic link (to \(outside.path))"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-symlinked-live-paths"), "the error says how to allow it: \(refused.stderr)")
        XCTAssertEqual(try Data(contentsOf: outside), original)

        let allowed = try box.run(try reconcileBinary(), ["apply", "--no-runtime", "--allow-symlinked-live-paths"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), outside.path, "the link is still a link")
        let written = try Data(contentsOf: outside)
        XCTAssertTrue(written.starts(with: original) && written.count > original.count, "the link's target got the managed sites")
        let again = try box.run(try reconcileBinary(), ["plan", "--allow-symlinked-live-paths"])
        XCTAssertEqual(again.status, 0, "converged through the link: \(again.stdout)")
    }

    /// A small tmpfs holds the gateway's live files (root may mount one); where mounting is refused, an
    /// injected ENOSPC (RECONCILE_FAILPOINT=enospc:Caddyfile) stands in. The output says which ran.
    func testAFullDiskFailsTheApplyAndLeavesEveryFileWhole() throws {
        let box = try BadInputBox(storageMode: false)
        let binary = try reconcileBinary()
        let mountPoint = box.root.appendingPathComponent("small-disk")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = try TestSupport.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path])
        var arguments = ["apply", "--no-runtime"]
        var environment: [String: String] = [:]
        var caddyfile = box.url(of: .caddyfile)
        if mount.status == 0 {
            defer { _ = try? TestSupport.run(["umount", mountPoint.path]) }
            print("full disk: a 64 KiB tmpfs at \(mountPoint.path), filled up")
            let onDisk = mountPoint.appendingPathComponent("Caddyfile")
            try FileManager.default.copyItem(at: caddyfile, to: onDisk)
            // Fill the rest: the temporary file of the atomic write has nowhere to go.
            let filler = FileHandle(forWritingAtPath: { FileManager.default.createFile(atPath: mountPoint.appendingPathComponent("filler").path, contents: nil); return mountPoint.appendingPathComponent("filler").path }())!
            while (try? filler.write(contentsOf: Data(repeating: 0x61, count: 4096))) != nil {}
            try? filler.close()
            caddyfile = onDisk
            arguments += ["--caddyfile", onDisk.path]
            try checkFullDisk(box, binary, arguments, environment, caddyfile)
        } else {
            print("full disk: mounting a tmpfs was refused (\(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines))); injecting ENOSPC with RECONCILE_FAILPOINT=enospc:Caddyfile instead")
            environment["RECONCILE_FAILPOINT"] = "enospc:Caddyfile"
            try checkFullDisk(box, binary, arguments, environment, caddyfile)
        }
    }

    /// The fallback above, run everywhere: the write fails with ENOSPC after its temporary file exists.
    func testAnInjectedFullDiskFailsTheApplyAndLeavesEveryFileWhole() throws {
        let box = try BadInputBox(storageMode: false)
        try checkFullDisk(box, try reconcileBinary(), ["apply", "--no-runtime"], ["RECONCILE_FAILPOINT": "enospc:Caddyfile"], box.url(of: .caddyfile))
    }

    private func checkFullDisk(_ box: BadInputBox, _ binary: URL, _ arguments: [String], _ environment: [String: String], _ caddyfile: URL) throws {
        let before = try box.snapshot()
        let originalCaddyfile = try Data(contentsOf: caddyfile)
        let result = try runProcess(binary, arguments + ["--repo", box.repo.path, "--root", box.gateway.path], environment: environment)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("No space left on device"), result.stderr)
        XCTAssertTrue(result.stderr.contains("free some space on that filesystem"), "says what to do: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains(caddyfile.lastPathComponent), result.stderr)
        XCTAssertEqual(try Data(contentsOf: caddyfile), originalCaddyfile, "the Caddyfile is whole")
        XCTAssertEqual(try box.snapshot(), before, "no live file changed")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: caddyfile.deletingLastPathComponent().path).filter { $0.contains(".reconcile-") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }

    func testSecretsNeverAppearInPlansLogsStatusReportsOrBackupNames() throws {
        let box = try BadInputBox(storageMode: false)
        let hash = "$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG"
        let secretValue = "s3cr3t-value-from-secrets-yaml"
        let plainToken = "plain-token-in-configuration"
        let dbPassword = "db-password-in-compose"
        // Secrets right next to what reconcile edits, so every diff shows their lines as context.
        try append(box.url(of: .caddyfile), "private.mondomaine.ddnsfree.com {\n\trespond \"hi\"\n\tbasicauth {\n\t\tadmin \(hash)\n\t}\n}\n")
        try append(box.url(of: .configuration), "api_token: \(plainToken)\nrecorder:\n  db_url: !secret recorder_db\n")
        try Data("recorder_db: \(secretValue)\n".utf8).write(to: box.url(of: .configuration).deletingLastPathComponent().appendingPathComponent("secrets.yaml"))
        let compose = try String(decoding: Data(contentsOf: box.url(of: .compose)), as: UTF8.self)
        try Data(compose.replacingOccurrences(of: "  jellyfin:\n", with: "  jellyfin:\n    environment:\n      - DB_PASSWORD=\(dbPassword)\n")
            .utf8).write(to: box.url(of: .compose))
        let binary = try reconcileBinary()
        var outputs: [String: String] = [:]
        for arguments in [["plan"], ["plan", "--diff"], ["plan", "--json"], ["plan", "--json", "--diff"], ["apply", "--no-runtime"], ["status"]] {
            let result = try box.run(binary, arguments)
            XCTAssertFalse(result.killedBySignal)
            outputs[arguments.joined(separator: " ")] = result.stdout + result.stderr
        }
        XCTAssertTrue(outputs["plan --diff"]!.contains("admin ‹hidden by reconcile›"), "the hash's line is in the diff, masked: \(outputs["plan --diff"]!)")
        // The state dir: ledger, status report, and the backups' names (their content is the files themselves).
        let walker = FileManager.default.enumerator(atPath: box.stateDir.path)!
        for case let relative as String in walker {
            outputs["name: \(relative)"] = relative
            if !relative.hasSuffix(".bak"), let data = FileManager.default.contents(atPath: box.stateDir.appendingPathComponent(relative).path) {
                outputs["state: \(relative)"] = String(decoding: data, as: UTF8.self)
            }
        }
        XCTAssertTrue(outputs.keys.contains { $0.hasPrefix("state: status") }, "a status report was written: \(outputs.keys.sorted())")
        for (name, text) in outputs {
            for secret in [hash, "Zkx19XLiW6VYouLHR5", secretValue, plainToken, dbPassword] {
                XCTAssertFalse(text.contains(secret), "\(name) shows a secret (\(secret)):\n\(text)")
            }
        }
    }

    private func append(_ url: URL, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
