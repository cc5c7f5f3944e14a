import Adapters
import Diagnostics

/// Refuses a desired state that does not come from a commit signed by a key the gateway trusts.
/// An unsigned or wrongly signed commit is wrong input (the next commit has to be signed); a verifier
/// that cannot run is the world's problem.
public enum SignatureGate {
    public static func verify(_ policy: SignaturePolicy?, repo: String, source: String, commit: GitCommitInfo?,
                              uncommitted: Bool, desiredFile: String) throws(ReconcileError) -> VerifiedSignature? {
        guard let policy else { return nil }
        let how = "reconcile applies only commits signed by a key in \([policy.allowedSigners, policy.gpgKeyring].compactMap { $0 }.joined(separator: " or "))"
        func refuse(_ message: String, hint: String) -> ReconcileError {
            .invalidInput(DiagnosticList([Diagnostic(file: source, position: nil, message: message, hint: hint)]))
        }
        guard let commit, let oid = commit.oid else {
            throw refuse("not a git checkout: there is no commit whose signature could be verified", hint: how)
        }
        let name = "commit \(oid.short) \"\(commit.subject)\""
        if uncommitted {
            throw refuse("\(desiredFile) has changes not in \(name); they are not signed", hint: how + ": commit and sign them")
        }
        do {
            let repository = try GitRepository(path: repo)
            guard let signed = try repository.signature(of: oid) else {
                throw refuse("\(name) is not signed; it is not applied", hint: how + " (git commit -S, with gpg.format=ssh for SSH keys)")
            }
            return try SignatureVerifier.verify(signed, policy: policy)
        } catch let error as ReconcileError {
            throw error
        } catch let error as GitError {
            throw .world(error.description)
        } catch let error as SignatureError {
            if case .verifierFailed = error { throw .world("\(name): \(error.description)") }
            throw refuse("\(name): \(error.description); it is not applied", hint: how)
        } catch {
            throw .world("\(error)")
        }
    }
}
