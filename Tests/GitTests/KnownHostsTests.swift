import Foundation
import XCTest
@testable import Adapters

/// known_hosts matching (plain, hashed, ports, wildcards, negation, revoked) and the URLs `--repo` accepts.
final class KnownHostsTests: XCTestCase {
    let key = Array(Data(base64Encoded: "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")!)
    let other = Array(Data(base64Encoded: "AAAAC3NzaC1lZDI1NTE5AAAAIHrJ1XmM0a8wXhD3XqFeEj9Y2YyFXyE4g2l9eKf2m0c3")!)
    var keyText: String { Data(key).base64EncodedString() }

    func testSHA1AndHMACMatchKnownVectors() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        XCTAssertEqual(hex(SHA1.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(hex(SHA1.hash([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(hex(SHA1.hash(Array(String(repeating: "a", count: 1_000).utf8))), "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        // RFC 2202 test case 2.
        XCTAssertEqual(hex(SHA1.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))),
                       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    func testPlainPortsWildcardsNegationAndRevocation() {
        let hosts = KnownHosts(text: """
            # comment
            git.example.com,10.0.0.1 ssh-ed25519 \(keyText) me@host
            [git.example.com]:2222 ssh-ed25519 \(Data(other).base64EncodedString())
            *.lan,!evil.lan ssh-ed25519 \(keyText)
            @revoked old.example.com ssh-ed25519 \(keyText)
            @cert-authority *.example.com ssh-ed25519 \(keyText)
            garbage line
            """)
        XCTAssertEqual(hosts.verify(host: "git.example.com", port: nil, key: key), .trusted)
        XCTAssertEqual(hosts.verify(host: "GIT.example.com", port: 22, key: key), .trusted, "port 22 is the plain name; names ignore case")
        XCTAssertEqual(hosts.verify(host: "10.0.0.1", port: nil, key: key), .trusted)
        XCTAssertEqual(hosts.verify(host: "git.example.com", port: 2222, key: other), .trusted)
        XCTAssertEqual(hosts.verify(host: "git.example.com", port: 2222, key: key), .mismatch)
        XCTAssertEqual(hosts.verify(host: "git.example.com", port: nil, key: other), .mismatch)
        XCTAssertEqual(hosts.verify(host: "nas.lan", port: nil, key: key), .trusted)
        XCTAssertEqual(hosts.verify(host: "evil.lan", port: nil, key: key), .unknown, "negated patterns never match")
        XCTAssertEqual(hosts.verify(host: "old.example.com", port: nil, key: key), .revoked)
        XCTAssertEqual(hosts.verify(host: "new.example.com", port: nil, key: key), .unknown, "@cert-authority lines are not trusted keys")
    }

    func testHashedNamesAsOpenSSHWritesThem() {
        let salt: [UInt8] = Array("0123456789abcdefghij".utf8)
        let hash = SHA1.hmac(key: salt, message: Array("[127.0.0.1]:2200".utf8))
        let line = "|1|\(Data(salt).base64EncodedString())|\(Data(hash).base64EncodedString()) ssh-ed25519 \(keyText)"
        let hosts = KnownHosts(text: line)
        XCTAssertEqual(hosts.verify(host: "127.0.0.1", port: 2200, key: key), .trusted)
        XCTAssertEqual(hosts.verify(host: "127.0.0.1", port: 2201, key: key), .unknown)
    }

    func testTheRecordedLineNamesTheKeyType() {
        XCTAssertEqual(KnownHosts.line(host: "h", port: 2222, key: key), "[h]:2222 ssh-ed25519 \(keyText)")
        XCTAssertEqual(KnownHosts.line(host: "h", port: nil, key: key), "h ssh-ed25519 \(keyText)")
        XCTAssertEqual(KnownHosts(text: KnownHosts.line(host: "h", port: 2222, key: key)).verify(host: "h", port: 2222, key: key), .trusted)
    }

    func testRemoteURLs() throws {
        let https = try XCTUnwrap(try GitRemoteURL.parse("https://git.example.com:8443/home/exposure.git"))
        XCTAssertEqual(https.transport, .https)
        XCTAssertEqual(https.host, "git.example.com")
        XCTAssertEqual(https.port, 8443)
        let scp = try XCTUnwrap(try GitRemoteURL.parse("git@github.com:me/exposure.git"))
        XCTAssertEqual(scp.transport, .ssh)
        XCTAssertEqual(scp.user, "git")
        XCTAssertEqual(scp.host, "github.com")
        XCTAssertNil(scp.port)
        let ssh = try XCTUnwrap(try GitRemoteURL.parse("ssh://git@[::1]:2222/srv/exposure.git"))
        XCTAssertEqual(ssh.host, "::1")
        XCTAssertEqual(ssh.port, 2222)
        XCTAssertEqual(try GitRemoteURL.parse("file:///srv/exposure.git")?.localPath, "/srv/exposure.git")
        XCTAssertNil(try GitRemoteURL.parse("/srv/exposure"), "a path is for the caller to decide")
        XCTAssertNil(try GitRemoteURL.parse("./exposure"))
        XCTAssertNil(try GitRemoteURL.parse("exposure-repo"))
        XCTAssertThrowsError(try GitRemoteURL.parse("https://me:s3cret@git.example.com/x.git")) { error in
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
            XCTAssertTrue("\(error)".contains("--token-file"), "\(error)")
        }
        XCTAssertThrowsError(try GitRemoteURL.parse("file://relative/path"))
    }
}
