import Diagnostics
import Foundation
import TestSupport
import XCTest
@testable import Adapters
@testable import Controller
import StatusReport

/// Fetch and push over SSH against a real sshd on a loopback port: key auth, known_hosts, hook refusals.
final class SSHTransportTests: XCTestCase {
    func source(_ server: TestSSHServer, _ remote: ExposureRemote, key: String? = nil, knownHosts: String?,
                acceptNew: Bool = false) throws -> RemoteSource {
        RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(server.url(remote.bare))),
                     credentials: GitCredentials(sshPrivateKey: key ?? server.clientKey, knownHosts: knownHosts, acceptNewHostKey: acceptNew))
    }

    /// The message of a failure with reason `reason` (a retryable one: the next cycle tries again).
    func worldError(_ reason: FailureReason = .gitUnreachable, _ body: () throws -> Void, file: StaticString = #filePath,
                    line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected a failure", file: file, line: line)
        } catch ReconcileError.failed(let actual, let message) where actual == reason {
            XCTAssertTrue(actual.isRetryable, file: file, line: line)
            return message
        } catch {
            XCTFail("expected \(reason.rawValue), got \(error)", file: file, line: line)
        }
        return ""
    }

    func testApplyAndPublishOverSSHWithAKnownHostKey() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        let knownHosts = scratch.write("known_hosts", server.knownHostsLine)
        let root = scratch.gateway("gw1")
        let settings = ReconcileSettings(repo: server.url(remote.bare), paths: .defaults(root: root), gateway: "gw1",
                                         remote: try source(server, remote, knownHosts: knownHosts))
        let result = ReconcileCycle.run(settings, options: .init(mode: .apply(nil), report: true, publish: true))
        XCTAssertNil(result.error, "\(String(describing: result.error))")
        XCTAssertNil(result.reportError, "\(String(describing: result.reportError))")
        XCTAssertEqual(result.plan?.desired.commit, remote.head)
        XCTAssertEqual(remote.remoteRef("reconcile-status"), result.publication?.commit)
    }

    func testUnknownHostKeyIsRefusedUnlessTheUserOptedInThenItIsRecorded() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        let knownHosts = scratch.write("known_hosts", "# nothing yet\n")
        let refused = worldError { _ = try GitSource.fetch(try source(server, remote, knownHosts: knownHosts), stateDir: scratch.sub("s"), statusBranch: "st") }
        XCTAssertTrue(refused.contains("is not in \(knownHosts)"), refused)
        XCTAssertTrue(refused.contains("--accept-new-host-key"), refused)

        let head = try GitSource.fetch(try source(server, remote, knownHosts: knownHosts, acceptNew: true), stateDir: scratch.sub("s"), statusBranch: "st")
        XCTAssertEqual(head.commit.id, remote.head)
        XCTAssertTrue(head.notes.contains { $0.contains("recorded the host key of [127.0.0.1]:\(server.port)") }, "\(head.notes)")
        XCTAssertTrue(try String(contentsOfFile: knownHosts, encoding: .utf8).contains(server.knownHostsLine))
        // From now on it is known: no opt-in needed.
        XCTAssertNoThrow(try GitSource.fetch(try source(server, remote, knownHosts: knownHosts), stateDir: scratch.sub("s"), statusBranch: "st"))
    }

    func testAChangedHostKeyIsRefusedEvenWithTheOptIn() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        XCTAssertEqual(sh("ssh-keygen -q -t ed25519 -N '' -f other", in: scratch.path).status, 0)
        let other = try String(contentsOfFile: scratch.sub("other.pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let knownHosts = scratch.write("known_hosts", "[127.0.0.1]:\(server.port) \(other)\n")
        let refused = worldError { _ = try GitSource.fetch(try source(server, remote, knownHosts: knownHosts, acceptNew: true), stateDir: scratch.sub("s"), statusBranch: "st") }
        XCTAssertTrue(refused.contains("does not match"), refused)
        XCTAssertEqual(try String(contentsOfFile: knownHosts, encoding: .utf8), "[127.0.0.1]:\(server.port) \(other)\n", "nothing recorded")
    }

    func testHashedKnownHostsEntriesMatch() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        let knownHosts = scratch.write("known_hosts", server.knownHostsLine)
        XCTAssertEqual(sh("ssh-keygen -q -H -f known_hosts && rm -f known_hosts.old", in: scratch.path).status, 0)
        XCTAssertTrue(try String(contentsOfFile: knownHosts, encoding: .utf8).hasPrefix("|1|"), "ssh-keygen -H hashed it")
        XCTAssertEqual(try GitSource.fetch(try source(server, remote, knownHosts: knownHosts), stateDir: scratch.sub("s"), statusBranch: "st").commit.id, remote.head)
    }

    func testARefusedKeyOrNoKeyIsAnAuthenticationErrorThatNamesWhatToDo() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        let knownHosts = scratch.write("known_hosts", server.knownHostsLine)
        XCTAssertEqual(sh("ssh-keygen -q -t ed25519 -N '' -f stranger", in: scratch.path).status, 0)
        let refused = worldError { _ = try GitSource.fetch(try source(server, remote, key: scratch.sub("stranger"), knownHosts: knownHosts), stateDir: scratch.sub("s"), statusBranch: "st") }
        XCTAssertTrue(refused.contains("did not accept the key \(scratch.sub("stranger"))"), refused)

        let noKey = RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(server.url(remote.bare))),
                                 credentials: GitCredentials(knownHosts: knownHosts))
        let missing = worldError { _ = try GitSource.fetch(noKey, stateDir: scratch.sub("s"), statusBranch: "st") }
        XCTAssertTrue(missing.contains("--ssh-key"), missing)
    }

    func testAPushRefusedByTheServerFailsFastWithItsMessage() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        let hook = remote.bare + "/hooks/pre-receive"
        try Data("#!/bin/sh\necho 'status pushes are frozen' >&2\nexit 1\n".utf8).write(to: URL(fileURLWithPath: hook))
        XCTAssertEqual(chmod(hook, 0o755), 0)
        let knownHosts = scratch.write("known_hosts", server.knownHostsLine)
        let report = StatusReport(gateway: "gw1", outcome: .inSync, checkedAt: StatusTime(secondsSince1970: 0))
        let message = worldError(.statusNotPublished) {
            _ = try StatusPublisher.publish(report, to: try source(server, remote, knownHosts: knownHosts), statusBranch: "reconcile-status",
                                            stateDir: scratch.sub("s"), policy: PublishPolicy(maxAttempts: 10, baseDelay: 0.001, maxDelay: 0.01))
        }
        XCTAssertTrue(message.contains("was refused"), "refused while the branch did not move: not a race, no more retries: \(message)")
        XCTAssertTrue(message.contains("pre-receive hook declined"), "the server's reason, via push_update_reference: \(message)")
        XCTAssertEqual(remote.remoteRef("reconcile-status"), "")
    }

    func testConcurrentPushesOverSSHAllLand() throws {
        let scratch = Scratch()
        let server = try TestSSHServer.start(in: scratch)
        let remote = ExposureRemote(scratch)
        let knownHosts = scratch.write("known_hosts", server.knownHostsLine)
        let names = (0..<8).map { "ssh-gw\($0)" }
        let processes = try names.map { name in
            try ReconcileProcess(["apply", "--no-runtime", "--repo", server.url(remote.bare), "--ssh-key", server.clientKey,
                                  "--known-hosts", knownHosts, "--root", scratch.gateway(name), "--gateway", name], scratch: scratch.path)
        }
        for (name, result) in zip(names, processes.map { $0.wait() }) {
            XCTAssertEqual(result.status, 0, "\(name): \(result.stdout)\n\(result.stderr)")
        }
        XCTAssertEqual(remote.remoteGit("ls-tree --name-only reconcile-status status/").trimmed, names.map { "status/\($0)" }.joined(separator: "\n"))
        XCTAssertEqual(remote.remoteGit("rev-list --count reconcile-status").trimmed, "\(names.count)")
        XCTAssertEqual(remote.remoteGit("rev-list --merges reconcile-status").trimmed, "")
    }
}
