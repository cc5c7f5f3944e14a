import Foundation
import TestSupport
import XCTest

/// The token file and the SSH key, as `reconcile` reads them: private to their owner (as ssh demands of a
/// key), regular files, and small. Anything else is refused with the fix, before any connection.
final class SecretFileTests: XCTestCase {
    let token = "tok-\(UUID().uuidString)"

    func testATokenFileOrSSHKeyGroupOrOthersCanReadIsRefusedWithTheFix() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let root = scratch.gateway("gw1")
        let base = ["plan", "--repo", remote.url, "--root", root, "--gateway", "gw1"]
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let tokenFile = scratch.file("token-\(String(mode, radix: 8))", token + "\n", mode: mode)
            let result = try reconcile(base + ["--token-file", tokenFile], scratch: scratch)
            XCTAssertEqual(result.status, 1, "mode \(String(mode, radix: 8)) is refused: \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("--token-file") && result.stderr.contains("chmod 600 \(tokenFile)"), result.stderr)
            XCTAssertFalse(result.stdout.contains(token) || result.stderr.contains(token))

            let key = scratch.file("key-\(String(mode, radix: 8))", "-----BEGIN OPENSSH PRIVATE KEY-----\n", mode: mode)
            let withKey = try reconcile(base + ["--ssh-key", key], scratch: scratch)
            XCTAssertEqual(withKey.status, 1, "an SSH key of mode \(String(mode, radix: 8)) is refused: \(withKey.stdout)")
            XCTAssertTrue(withKey.stderr.contains("--ssh-key") && withKey.stderr.contains("chmod 600 \(key)"), withKey.stderr)
        }
        let good = scratch.file("token", token + "\n", mode: 0o600)
        let accepted = try reconcile(base + ["--token-file", good], scratch: scratch)
        XCTAssertFalse(accepted.stderr.contains("--token-file"), "a private token file is read: \(accepted.stderr)")
    }

    func testATokenFileThatIsAPipeADeviceOrHugeIsRefusedAtOnce() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let base = ["plan", "--repo", remote.url, "--root", scratch.gateway("gw1"), "--gateway", "gw1"]
        let fifo = scratch.sub("token-fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let huge = scratch.file("token-huge", String(repeating: "x", count: 100_000) + "\n", mode: 0o600)
        for (file, says) in [(fifo, "not a regular file"), ("/dev/zero", "not a regular file"), (huge, "over the limit")] {
            let started = Date()
            let result = try ReconcileProcess(base + ["--token-file", file], scratch: scratch.path).wait(timeout: 20)
            XCTAssertEqual(result.status, 1, "\(file): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains(says), "\(file): \(result.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(file) is refused without waiting or reading it whole")
        }
    }
}
