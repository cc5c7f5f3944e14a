import Adapters
import Diagnostics
import EssentialsExtras
import FoundationEssentials

/// Refuses a desired state that does not come from a commit signed by a key the gateway trusts.
/// An unsigned or wrongly signed commit is wrong input (the next commit has to be signed); a verifier
/// that cannot run is the world's problem.
public enum SignatureGate {
    public static func verify(_ policy: SignaturePolicy?, repo: String, source: String, commit: GitCommitInfo?,
                              uncommitted: Bool, desiredFile: String) throws(ReconcileError) -> VerifiedSignature? {
        guard let policy else { return nil }
        let how = "reconcile applies only commits signed by a key in \([policy.allowedSigners, policy.gpgKeyring].compactMap { $0 }.joined(separator: " or "))"
        func refuse(_ message: String, hint: String) -> ReconcileError {
            .invalidInput(DiagnosticList([Diagnostic(file: source, position: nil, message: message, hint: hint)]), reason: .refusedSignature)
        }
        guard let commit, let oid = commit.oid else {
            throw refuse("not a git checkout: there is no commit whose signature could be verified", hint: how)
        }
        let name = "commit \(oid.short) \"\(commit.subject)\""
        if uncommitted {
            throw refuse("\(desiredFile) has changes not in \(name); they are not signed", hint: how + ": commit and sign them")
        }
        // A daemon checks the same head every cycle: a commit verified against the same trust files is not
        // verified again (two ssh-keygen runs each time otherwise).
        let memo = VerifiedCommits.Key(commit: oid.hex, trust: VerifiedCommits.trust(policy))
        if let known = VerifiedCommits.shared.lookup(memo) { return known }
        do {
            let repository = try GitRepository(path: repo)
            guard let signed = try repository.signature(of: oid) else {
                throw refuse("\(name) is not signed; it is not applied", hint: how + " (git commit -S, with gpg.format=ssh for SSH keys)")
            }
            let verified = try SignatureVerifier.verify(signed, policy: policy)
            VerifiedCommits.shared.remember(memo, verified)
            return verified
        } catch let error as ReconcileError {
            throw error
        } catch let error as GitError {
            throw .failed(.signatureCheckFailed, error.description)
        } catch let error as SignatureError {
            if case .verifierFailed = error { throw .failed(.signatureCheckFailed, "\(name): \(error.description)") }
            throw refuse("\(name): \(error.description); it is not applied", hint: how)
        } catch {
            throw .failed(.signatureCheckFailed, "\(error)")
        }
    }
}

/// Commits whose signature this process already accepted, keyed by the trust files' content too, so a
/// key removed from allowed_signers takes effect at the next cycle. Only successes are remembered.
final class VerifiedCommits: @unchecked Sendable {
    struct Key: Hashable {
        var commit: String
        /// The trust files' paths and exact bytes (no hash: nothing to argue about collisions).
        var trust: [UInt8]
    }

    static let shared = VerifiedCommits()
    private let lock = Lock()
    private var verified: [Key: VerifiedSignature] = [:]

    func lookup(_ key: Key) -> VerifiedSignature? {
        lock.lock()
        defer { lock.unlock() }
        return verified[key]
    }

    func remember(_ key: Key, _ signature: VerifiedSignature) {
        lock.lock()
        defer { lock.unlock() }
        if verified.count > 64 { verified.removeAll() }
        verified[key] = signature
    }

    /// The paths and the bytes of the trust files (unreadable ones count as empty: then verification fails anyway).
    static func trust(_ policy: SignaturePolicy) -> [UInt8] {
        var bytes: [UInt8] = []
        for path in [policy.allowedSigners, policy.gpgKeyring] {
            bytes += Array((path ?? "-").utf8) + [0]
            if let path, let data = try? LiveFileReader.read(path) { bytes += data }
            bytes.append(0)
        }
        return bytes
    }
}
