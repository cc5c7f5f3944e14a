import FoundationEssentials

/// What the gateway accepts as a signer of the desired commit: SSH keys (an `allowed_signers` file, as
/// `git` uses with `gpg.ssh.allowedSignersFile`) and/or GPG keys (a keyring file for `gpgv`).
public struct SignaturePolicy: Sendable, Hashable {
    public var allowedSigners: String?
    public var gpgKeyring: String?

    public init(allowedSigners: String? = nil, gpgKeyring: String? = nil) {
        self.allowedSigners = allowedSigners
        self.gpgKeyring = gpgKeyring
    }
}

/// Why a signature was not accepted.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The commit carries no signature.
    case unsigned
    /// Signed, but not by a key the gateway trusts, or the bytes do not match.
    case rejected(String)
    /// A signature kind the gateway has no trust for (an SSH signature without --allowed-signers, …).
    case noTrustFor(String)
    /// The verifier could not run (missing tool, unreadable file): the gateway's problem, not the commit's.
    case verifierFailed(String)

    public var description: String {
        switch self {
        case .unsigned: return "the commit is not signed"
        case .rejected(let why): return "the signature is not accepted: \(why)"
        case .noTrustFor(let what): return what
        case .verifierFailed(let why): return "cannot verify the signature: \(why)"
        }
    }
}

/// Who signed, once verified.
public struct VerifiedSignature: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case ssh, gpg }
    public var kind: Kind
    /// What the verifier said (principal and key fingerprint, or the GPG key).
    public var signer: String
}

/// Checks a commit's signature with the system's own tools: `ssh-keygen -Y find-principals` then
/// `ssh-keygen -Y verify -n git` (OpenSSH), or `gpgv` against a keyring (GnuPG). Both read the signature
/// and the signed bytes from files in a private temporary folder, removed afterwards.
public enum SignatureVerifier {
    public static func verify(_ signed: GitCommitSignature, policy: SignaturePolicy) throws(SignatureError) -> VerifiedSignature {
        let armor = String(decoding: signed.signature.prefix(64), as: UTF8.self)
        if armor.hasPrefix("-----BEGIN SSH SIGNATURE-----") {
            guard let allowed = policy.allowedSigners else {
                throw .noTrustFor("the commit has an SSH signature and no --allowed-signers file is set to check it")
            }
            return try verifySSH(signed, allowedSigners: allowed)
        }
        if armor.hasPrefix("-----BEGIN PGP SIGNATURE-----") {
            guard let keyring = policy.gpgKeyring else {
                throw .noTrustFor("the commit has a GPG signature and no --gpg-keyring is set to check it")
            }
            return try verifyGPG(signed, keyring: keyring)
        }
        throw .rejected("unknown signature format (neither SSH nor OpenPGP)")
    }

    static func verifySSH(_ signed: GitCommitSignature, allowedSigners: String) throws(SignatureError) -> VerifiedSignature {
        guard FileManager.default.isReadableFile(atPath: allowedSigners) else {
            throw .verifierFailed("the allowed signers file \(allowedSigners) cannot be read")
        }
        return try withFiles(signed) { (signature, _) throws(SignatureError) in
            let find = try tool(["ssh-keygen", "-Y", "find-principals", "-f", allowedSigners, "-s", signature])
            let principals = find.status == 0
                ? find.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty } : []
            guard !principals.isEmpty else {
                throw .rejected("its key is not in \(allowedSigners)")
            }
            var last = ""
            for principal in principals {
                let check = try tool(["ssh-keygen", "-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", "git", "-s", signature],
                                     input: signed.signedData)
                if check.status == 0 {
                    return VerifiedSignature(kind: .ssh, signer: firstLine(check.stdout + check.stderr) ?? principal)
                }
                last = firstLine(check.stderr + check.stdout) ?? "ssh-keygen exit \(check.status)"
            }
            throw .rejected("ssh-keygen: \(last)")
        }
    }

    static func verifyGPG(_ signed: GitCommitSignature, keyring: String) throws(SignatureError) -> VerifiedSignature {
        guard FileManager.default.isReadableFile(atPath: keyring) else {
            throw .verifierFailed("the GPG keyring \(keyring) cannot be read")
        }
        let absolute = keyring.hasPrefix("/") ? keyring : FileManager.default.currentDirectoryPath + "/" + keyring
        return try withFiles(signed) { (signature, data) throws(SignatureError) in
            let home = URL(fileURLWithPath: signature).deletingLastPathComponent().path + "/gnupg"
            try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let check = try tool(["gpgv", "--homedir", home, "--keyring", absolute, "--status-fd", "1", signature, data])
            let status = check.stdout.split(separator: "\n")
            guard check.status == 0, let good = status.first(where: { $0.hasPrefix("[GNUPG:] GOODSIG ") }) else {
                let why = status.first { $0.hasPrefix("[GNUPG:] NO_PUBKEY") }.map { _ in "its key is not in \(keyring)" }
                    ?? status.first { $0.hasPrefix("[GNUPG:] BADSIG") }.map { _ in "the signature does not match the commit" }
                    ?? firstLine(check.stderr) ?? "gpgv exit \(check.status)"
                throw .rejected("gpgv: \(why)")
            }
            return VerifiedSignature(kind: .gpg, signer: String(good.dropFirst("[GNUPG:] GOODSIG ".count)))
        }
    }

    /// The signature and the signed bytes as two files, for the length of `body`.
    static func withFiles<T>(_ signed: GitCommitSignature, _ body: (String, String) throws(SignatureError) -> T) throws(SignatureError) -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-signature-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try Data(signed.signature).write(to: folder.appendingPathComponent("signature"))
            try Data(signed.signedData).write(to: folder.appendingPathComponent("commit"))
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw .verifierFailed("cannot write temporary files: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder.appendingPathComponent("signature").path, folder.appendingPathComponent("commit").path)
    }

    static func tool(_ argv: [String], input: [UInt8]? = nil) throws(SignatureError) -> SubprocessOutput {
        do {
            return try Subprocess.run(argv, environment: ProcessInfo.processInfo.environment, input: input, timeout: .seconds(30))
        } catch {
            throw .verifierFailed(error.description)
        }
    }

    static func firstLine(_ text: String) -> String? {
        text.split(separator: "\n").first.map(String.init)
    }
}
