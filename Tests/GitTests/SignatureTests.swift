import Foundation
import TestSupport
import XCTest
@testable import Adapters
@testable import Controller
import StatusReport

/// Signature verification of the desired commit, with commits signed by the real `ssh-keygen` (through
/// `git commit -S`, gpg.format=ssh) and by a real GnuPG key, in real repos with a bare remote.
final class SignatureTests: XCTestCase {
    let apply = ReconcileCycle.Options(mode: .apply(nil), report: true, publish: true)

    /// An SSH key pair made by ssh-keygen; `allowedSigners` trusts it for `principal`.
    struct SSHKey {
        let key: String
        let principal: String
        var signersLine: String { "\(principal) namespaces=\"git\" " + (try! String(contentsOfFile: key + ".pub", encoding: .utf8)) }
    }

    func sshKey(_ scratch: Scratch, _ name: String) -> SSHKey {
        let key = scratch.sub("keys/\(name)")
        try! FileManager.default.createDirectory(atPath: scratch.sub("keys"), withIntermediateDirectories: true)
        XCTAssertEqual(sh("ssh-keygen -q -t ed25519 -N '' -C \(name) -f '\(key)'", in: scratch.path).status, 0)
        return SSHKey(key: key, principal: "\(name)@example.com")
    }

    func sign(_ remote: ExposureRemote, with key: SSHKey) {
        remote.git("config gpg.format ssh && git config user.signingkey '\(key.key)' && git config commit.gpgsign true")
    }

    func settings(_ remote: ExposureRemote, root: String, _ policy: SignaturePolicy) throws -> ReconcileSettings {
        var settings = ReconcileSettings(repo: remote.url, paths: .defaults(root: root), gateway: "gw1",
                                         remote: RemoteSource(url: try XCTUnwrap(try GitRemoteURL.parse(remote.url))))
        settings.signatures = policy
        return settings
    }

    func testSignedCommitIsAppliedThenAnUnsignedOneIsNotAndTheReportSaysWhy() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        sign(remote, with: alice)
        remote.git("commit -q --amend --no-edit && git push -q -f origin HEAD")
        XCTAssertTrue(remote.git("log -1 --format=%G? HEAD").output.hasPrefix("G") || remote.git("cat-file commit HEAD").output.contains("BEGIN SSH SIGNATURE"))
        let root = scratch.gateway("gw1")
        let policy = SignaturePolicy(allowedSigners: signers)

        let first = ReconcileCycle.run(try settings(remote, root: root, policy), options: apply)
        XCTAssertNil(first.error, "\(first.error!)")
        XCTAssertEqual(first.report?.outcome, .applied)
        let signer = try XCTUnwrap(first.plan?.desired.signedBy)
        XCTAssertTrue(signer.hasPrefix("ssh: Good \"git\" signature for alice@example.com with ED25519 key SHA256:"), signer)
        let live = liveFiles(root)

        remote.git("config commit.gpgsign false")
        let unsigned = remote.commit("exposure.yaml", desiredWithGrafana, "Expose grafana, unsigned")
        let second = ReconcileCycle.run(try settings(remote, root: root, policy), options: apply)
        let error = try XCTUnwrap(second.error)
        XCTAssertFalse(error.isRetryable, "an unsigned commit is wrong input: wait for a signed one")
        XCTAssertEqual(error.reason, .refusedSignature)
        XCTAssertTrue(error.description.contains("commit \(unsigned.prefix(12))"), error.description)
        XCTAssertTrue(error.description.contains("is not signed; it is not applied"), error.description)
        XCTAssertEqual(liveFiles(root), live, "nothing written")
        XCTAssertNil(second.plan)
        let report = try XCTUnwrap(second.report)
        XCTAssertEqual(report.outcome, .failed)
        XCTAssertEqual(report.desired?.id, unsigned)
        XCTAssertNotEqual(report.lastApplied?.id, unsigned, "the last applied commit stays the signed one")
        XCTAssertTrue(report.error?.contains("is not signed") ?? false, report.error ?? "")
        let published = remote.remoteGit("show reconcile-status:status/gw1/status.md").output
        XCTAssertTrue(published.contains("is not signed"), published)

        // Signed again: applied.
        remote.git("config commit.gpgsign true")
        remote.git("commit -q --amend --no-edit && git push -q -f origin HEAD")
        // (The unsigned commit was never applied: amending it rewrites nothing the gateway knows.)
        let third = ReconcileCycle.run(try settings(remote, root: root, policy), options: apply)
        XCTAssertNil(third.error, "\(third.error!)")
        XCTAssertNotEqual(liveFiles(root), live)
    }

    func testACommitSignedByAKeyNotInAllowedSignersIsRefused() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice"), mallory = sshKey(scratch, "mallory")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        sign(remote, with: mallory)
        remote.git("commit -q --amend --no-edit && git push -q -f origin HEAD")
        let root = scratch.gateway("gw1")
        let live = liveFiles(root)

        let result = ReconcileCycle.run(try settings(remote, root: root, SignaturePolicy(allowedSigners: signers)), options: apply)
        let error = try XCTUnwrap(result.error)
        XCTAssertTrue(error.description.contains("the signature is not accepted: its key is not in \(signers)"), error.description)
        XCTAssertEqual(liveFiles(root), live)
        XCTAssertTrue(result.report?.error?.contains("not accepted") ?? false)

        // A key listed for another namespace only does not sign commits either.
        let restricted = scratch.write("allowed_signers_file", "mallory@example.com namespaces=\"file\" "
                                       + (try String(contentsOfFile: mallory.key + ".pub", encoding: .utf8)))
        let other = ReconcileCycle.run(try settings(remote, root: root, SignaturePolicy(allowedSigners: restricted)), options: apply)
        XCTAssertTrue(other.error?.description.contains("the signature is not accepted") ?? false, other.error?.description ?? "accepted")
        XCTAssertEqual(liveFiles(root), live)
    }

    func testTamperedSignedDataDoesNotVerify() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        sign(remote, with: alice)
        remote.git("commit -q --amend --no-edit")
        let repository = try GitRepository(path: remote.work)
        var signed = try XCTUnwrap(try repository.signature(of: try XCTUnwrap(GitOID(hex: remote.head))))
        XCTAssertNoThrow(try SignatureVerifier.verify(signed, policy: SignaturePolicy(allowedSigners: signers)))
        signed.signedData += Array("extra".utf8)
        XCTAssertThrowsError(try SignatureVerifier.verify(signed, policy: SignaturePolicy(allowedSigners: signers))) { error in
            guard case SignatureError.rejected = error else { return XCTFail("\(error)") }
        }
    }

    func testGPGSignedCommitVerifiesAgainstAKeyringAndNeedsOne() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let home = scratch.sub("gnupg")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let env = ["GNUPGHOME": home]
        XCTAssertEqual(sh("gpg --batch --passphrase '' --quick-gen-key 'Alice <alice@example.com>' ed25519 sign never", in: scratch.path, environment: env).status, 0)
        XCTAssertEqual(sh("gpg --batch --export alice@example.com > keyring.gpg", in: scratch.path, environment: env).status, 0)
        XCTAssertEqual(sh("git -c user.signingkey=alice@example.com commit -q -S --amend --no-edit && git push -q -f origin HEAD",
                          in: remote.work, environment: env).status, 0)
        let root = scratch.gateway("gw1")
        let keyring = scratch.sub("keyring.gpg")

        let good = ReconcileCycle.run(try settings(remote, root: root, SignaturePolicy(gpgKeyring: keyring)), options: apply)
        XCTAssertNil(good.error, "\(good.error!)")
        XCTAssertTrue(good.plan?.desired.signedBy?.contains("Alice <alice@example.com>") ?? false, good.plan?.desired.signedBy ?? "no signer")

        let sshOnly = scratch.write("allowed_signers", "")
        let noKeyring = ReconcileCycle.run(try settings(remote, root: scratch.gateway("gw2"), SignaturePolicy(allowedSigners: sshOnly)), options: apply)
        XCTAssertTrue(noKeyring.error?.description.contains("GPG signature and no --gpg-keyring") ?? false, noKeyring.error?.description ?? "accepted")

        // Another key's keyring: refused.
        let otherHome = scratch.sub("gnupg2")
        try FileManager.default.createDirectory(atPath: otherHome, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        XCTAssertEqual(sh("gpg --batch --passphrase '' --quick-gen-key 'Bob <bob@example.com>' ed25519 sign never && gpg --batch --export bob@example.com > bob.gpg",
                          in: scratch.path, environment: ["GNUPGHOME": otherHome]).status, 0)
        let wrong = ReconcileCycle.run(try settings(remote, root: scratch.gateway("gw3"), SignaturePolicy(gpgKeyring: scratch.sub("bob.gpg"))), options: apply)
        XCTAssertTrue(wrong.error?.description.contains("its key is not in") ?? false, wrong.error?.description ?? "accepted")
    }

    func testALocalCheckoutWithUncommittedChangesIsRefusedWhenSignaturesAreRequired() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        sign(remote, with: alice)
        remote.git("commit -q --amend --no-edit")
        let root = scratch.gateway("gw1")
        var settings = ReconcileSettings(repo: remote.work, paths: .defaults(root: root), gateway: "gw1")
        settings.signatures = SignaturePolicy(allowedSigners: signers)
        XCTAssertNil(ReconcileCycle.run(settings, options: .init(mode: .plan(compose: nil, caddy: nil), report: false, publish: false)).error)

        try Data(desiredWithGrafana.utf8).write(to: URL(fileURLWithPath: remote.work + "/exposure.yaml"))
        let edited = ReconcileCycle.run(settings, options: .init(mode: .apply(nil), report: false, publish: false))
        XCTAssertTrue(edited.error?.description.contains("has changes not in commit") ?? false, edited.error?.description ?? "accepted")
        XCTAssertNil(FileManager.default.contents(atPath: root + "/var/lib/reconcile/ledger.json"), "nothing applied")
    }

    func testThroughTheCommandLineASignedCommitStillObeysTheGatewayPolicyAndAnUnsignedOneIsRefused() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        let policy = scratch.write("policy.yaml", "forbidden_upstream_ports: [22]\n")
        sign(remote, with: alice)
        remote.git("commit -q --amend --no-edit && git push -q -f origin HEAD")
        let root = scratch.gateway("gw1")
        func reconcile() throws -> RunResult {
            try runProcess(try reconcileBinary(), ["apply", "--repo", remote.url, "--root", root, "--gateway", "gw1", "--no-runtime",
                                                   "--allowed-signers", signers, "--policy", policy])
        }
        let first = try reconcile()
        XCTAssertEqual(first.status, 0, first.output)
        let planned = try runProcess(try reconcileBinary(), ["plan", "--repo", remote.url, "--root", root, "--gateway", "gw1", "--no-runtime",
                                                             "--allowed-signers", signers, "--policy", policy])
        XCTAssertTrue(planned.stdout.contains("\n  signature verified: ssh: Good \"git\" signature for alice@example.com"), planned.output)
        let live = liveFiles(root)

        // Signed by a trusted key, and still refused: the signature says who, the policy says what.
        let ssh = desiredWithGrafana.replacingOccurrences(of: "host.docker.internal:3000", with: "host.docker.internal:22")
        remote.commit("exposure.yaml", ssh, "Expose ssh, signed")
        let refused = try reconcile()
        XCTAssertEqual(refused.status, 1, refused.output)
        let line = try XCTUnwrap(ssh.components(separatedBy: "\n").firstIndex { $0.hasPrefix("  grafana:") }) + 1
        XCTAssertTrue(refused.output.contains("exposure.yaml:\(line):3: refused by the gateway policy: service 'grafana' publishes upstream port 22 (rule forbidden_upstream_ports at \(policy):1:28)"), refused.output)
        XCTAssertEqual(liveFiles(root), live)

        remote.git("config commit.gpgsign false")
        let unsigned = remote.commit("exposure.yaml", desiredWithGrafana, "Expose grafana, unsigned")
        let notSigned = try reconcile()
        XCTAssertEqual(notSigned.status, 1, notSigned.output)
        XCTAssertTrue(notSigned.output.contains("commit \(unsigned.prefix(12)) \"Expose grafana, unsigned\" is not signed; it is not applied"), notSigned.output)
        XCTAssertEqual(liveFiles(root), live)
        let published = remote.remoteGit("show reconcile-status:status/gw1/status.md").output
        XCTAssertTrue(published.contains("is not signed"), published)
    }
}

extension SignatureTests {
    /// The daemon's cycles do not run ssh-keygen again for a commit already verified, but a change to the
    /// trust file is seen at once.
    func testAVerifiedCommitIsRememberedUntilTheTrustFileChanges() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        sign(remote, with: alice)
        remote.git("commit -q --amend --no-edit")
        let commit = try XCTUnwrap(try GitRepository(path: remote.work).headCommit())
        func verify() throws -> VerifiedSignature? {
            try SignatureGate.verify(SignaturePolicy(allowedSigners: signers), repo: remote.work, source: remote.work,
                                     commit: commit, uncommitted: false, desiredFile: "exposure.yaml")
        }
        XCTAssertEqual(try verify()?.kind, .ssh)
        let key = VerifiedCommits.Key(commit: commit.id, trust: VerifiedCommits.trust(SignaturePolicy(allowedSigners: signers)))
        XCTAssertNotNil(VerifiedCommits.shared.lookup(key), "remembered")
        XCTAssertEqual(try verify()?.kind, .ssh)

        // Alice's key is revoked: the same commit is refused at the next check.
        try Data("# nobody\n".utf8).write(to: URL(fileURLWithPath: signers))
        XCTAssertThrowsError(try verify()) { error in
            XCTAssertTrue("\(error)".contains("its key is not in"), "\(error)")
        }
    }
}

extension SignatureTests {
    /// An unsigned commit is refused for what it is, before its content is even read.
    func testAnUnsignedCommitIsRefusedBeforeItsDesiredStateIsRead() throws {
        let scratch = Scratch()
        let remote = ExposureRemote(scratch)
        let alice = sshKey(scratch, "alice")
        let signers = scratch.write("allowed_signers", alice.signersLine)
        remote.commit("exposure.yaml", "domain: [not, valid\n", "Broken and unsigned")
        let result = ReconcileCycle.run(try settings(remote, root: scratch.gateway("gw1"), SignaturePolicy(allowedSigners: signers)), options: apply)
        let message = try XCTUnwrap(result.error).description
        XCTAssertTrue(message.contains("\"Broken and unsigned\" is not signed"), message)
        XCTAssertFalse(message.contains("exposure.yaml:1"), "the unsigned content was not parsed: \(message)")
    }
}
