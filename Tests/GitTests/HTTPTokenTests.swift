import Foundation
import TestSupport
import XCTest

/// HTTPS with a token: from a file or the environment, never on the command line, never printed.
/// The server's self-signed certificate is trusted through GIT_SSL_CAINFO, as git does.
final class HTTPTokenTests: XCTestCase {
    let token = "tok-\(UUID().uuidString)"

    func testTokenFromAFileOrTheEnvironmentAndNeverShown() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let tokenFile = scratch.file("token", token + "\n", mode: 0o600)
        let server = try TestHTTPServer(root: scratch.path, tokenFile: tokenFile, scratch: scratch, tls: true)
        let url = server.url("remote.git")
        let root = scratch.gateway("gw1")
        let base = ["apply", "--no-runtime", "--repo", url, "--root", root, "--gateway", "gw1"]
        let trust = server.trustEnvironment

        let fromFile = try reconcile(base + ["--token-file", tokenFile], environment: trust, scratch: scratch)
        XCTAssertEqual(fromFile.status, 0, fromFile.stdout + fromFile.stderr)
        XCTAssertTrue(fromFile.stdout.contains("status: committed"), fromFile.stdout)
        XCTAssertNotEqual(remote.remoteRef("reconcile-status"), "")

        let fromEnvironment = try reconcile(base + ["--token-env", "MY_TOKEN"], environment: trust.merging(["MY_TOKEN": token]) { $1 },
                                            scratch: scratch)
        XCTAssertEqual(fromEnvironment.status, 0, fromEnvironment.stdout + fromEnvironment.stderr)

        let wrong = try reconcile(base, environment: trust.merging(["RECONCILE_GIT_TOKEN": "wrong-\(token)"]) { $1 }, scratch: scratch)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("did not accept the token from $RECONCILE_GIT_TOKEN"), wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("the next run retries"), wrong.stderr)

        let none = try reconcile(base, environment: trust.merging(["RECONCILE_GIT_TOKEN": ""]) { $1 }, scratch: scratch)
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("--token-file"), none.stderr)

        let inURL = try reconcile(["plan", "--repo", url.replacingOccurrences(of: "https://", with: "https://me:\(token)@"), "--root", root],
                                  scratch: scratch)
        XCTAssertEqual(inURL.status, 1, "a token on the command line is refused")
        XCTAssertTrue(inURL.stderr.contains("carries a password"), inURL.stderr)

        let status = try reconcile(["status", "--root", root, "--gateway", "gw1", "--json"], scratch: scratch)
        XCTAssertEqual(status.status, 0, status.stderr)
        for output in [fromFile.stdout, fromFile.stderr, fromEnvironment.stdout, fromEnvironment.stderr, wrong.stdout, wrong.stderr,
                       none.stderr, inURL.stderr, status.stdout, remote.remoteGit("log -p reconcile-status").output] {
            XCTAssertFalse(output.contains(token), "the token never appears: \(output)")
        }
        let stateFiles = sh("grep -rl -- '\(token)' '\(root)/var/lib/reconcile' || true", in: scratch.path).trimmed
        XCTAssertEqual(stateFiles, "", "nor in the state dir")
    }

    func testAnUntrustedTLSCertificateIsRefused() throws {
        let scratch = Scratch()
        _ = ExposureRemote(scratch)
        let tokenFile = scratch.file("token", token + "\n", mode: 0o600)
        let server = try TestHTTPServer(root: scratch.path, tokenFile: tokenFile, scratch: scratch, tls: true)
        let result = try reconcile(["plan", "--repo", server.url("remote.git"), "--root", scratch.gateway("gw1"), "--gateway", "gw1",
                                    "--token-file", tokenFile], scratch: scratch)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("TLS certificate of 127.0.0.1 is not valid"), result.stderr)
        XCTAssertFalse(server.server.logText.contains("auth=yes"), "no credential was sent to an unverified server: \(server.server.logText)")
    }
}
