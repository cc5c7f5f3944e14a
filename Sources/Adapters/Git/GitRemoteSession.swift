import CGit2
import FoundationEssentials
import Glibc

/// What one remote operation's callbacks share: the credentials to offer, how to trust the server, and the
/// push rejections they collect. libgit2 hands it back to the C callbacks as an unretained payload; the
/// `GitRemote` that owns it keeps it alive for as long as the remote can call back.
final class GitRemoteSession {
    let url: GitRemoteURL
    let credentials: GitCredentials
    private var offeredKey = false
    private var offeredToken = false
    private var calls = 0
    var pushRejections: [GitPushRejection] = []
    /// What the host key check did, when worth telling (a key recorded on first use).
    var notes: [String] = []

    init(url: GitRemoteURL, credentials: GitCredentials) {
        self.url = url
        self.credentials = credentials
    }

    /// Each connection asks for credentials afresh: a token accepted for the fetch is offered again to the push.
    func beginOperation() {
        (offeredKey, offeredToken, calls) = (false, false, 0)
        pushRejections = []
    }

    var payload: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ payload: UnsafeMutableRawPointer?) -> GitRemoteSession? {
        payload.map { Unmanaged<GitRemoteSession>.fromOpaque($0).takeUnretainedValue() }
    }

    /// libgit2 asks again after each refusal: each kind of credential is offered once, then we give up
    /// with a message that names what was refused (never its value).
    /// `requestURL` is where libgit2 is about to send the credential: anything but the configured scheme, host
    /// and port (a redirect, a plain http:// URL) gets nothing.
    func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, requestURL: String?, usernameFromURL: String?,
                    allowed: UInt32) -> Int32 {
        if let problem = Self.credentialProblem(configured: url, requested: requestURL) { return refuse(problem) }
        calls += 1
        let isSSH = url.transport == .ssh
        let user = usernameFromURL ?? url.user ?? credentials.username ?? (isSSH ? "git" : "reconcile")
        if calls > 6 { return refuse("authentication refused by \(url) after \(calls - 1) attempts") }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0, let key = credentials.sshPrivateKey {
            if offeredKey { return refuse("authentication refused: the SSH server did not accept the key \(key) for user '\(user)'") }
            offeredKey = true
            let publicKey = key + ".pub"
            let hasPublic = FileManager.default.isReadableFile(atPath: publicKey)
            return git_credential_ssh_key_new(out, user, hasPublic ? publicKey : nil, key, nil)
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, user)
        }
        // A token is for HTTPS only: never typed into an SSH server's password prompt.
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, !isSSH, let token = credentials.token {
            if offeredToken { return refuse("authentication refused: \(url) did not accept the token from \(token.origin)") }
            offeredToken = true
            return git_credential_userpass_plaintext_new(out, user, token.value)
        }
        let hint = isSSH ? "pass --ssh-key FILE" : "put a token in a file (--token-file) or an environment variable (--token-env)"
        return refuse("authentication required by \(url) and no credential is configured: \(hint)")
    }

    /// Why no credential may go to `requested`, or nil when it is the configured remote's own origin over a
    /// transport that encrypts (https, ssh; local needs none).
    static func credentialProblem(configured: GitRemoteURL, requested: String?) -> String? {
        if configured.transport == .local { return nil }
        let parsed = requested.flatMap { try? GitRemoteURL.parse($0) }
        guard let parsed, parsed.origin == configured.origin else {
            return "\(requested.map(GitRemoteURL.redact) ?? "an unknown URL") asked for credentials, and they go only to \(configured.origin ?? configured.description) (a redirect to another host or port gets none)"
        }
        guard parsed.transport == .https || parsed.transport == .ssh else {
            return "\(parsed) asked for credentials over \(parsed.transport.rawValue)://, which anyone on the way can read: use https:// or ssh://"
        }
        return nil
    }

    /// SSH: the host key must be in our known_hosts. TLS: libgit2's verdict against the system's CAs stands.
    func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            return valid ? 0 : refuse("the TLS certificate of \(host) is not valid", code: GIT_ECERTIFICATE.rawValue)
        }
        let hostkey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostkey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostkey.hostkey else {
            return refuse("the SSH server \(host) sent no host key to check", code: GIT_ECERTIFICATE.rawValue)
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hostkey.hostkey_len))
        guard let path = credentials.knownHosts else {
            return refuse("the host key of \(host) cannot be checked: pass --known-hosts FILE", code: GIT_ECERTIFICATE.rawValue)
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        switch KnownHosts(text: text).verify(host: host, port: url.port, key: key) {
        case .trusted:
            return 0
        case .revoked:
            return refuse("the host key of \(host) is marked @revoked in \(path)", code: GIT_ECERTIFICATE.rawValue)
        case .mismatch:
            return refuse("the host key of \(host) does not match \(path): refusing to connect (a changed key may be a man in the middle; if the server's key really changed, fix its line in \(path))",
                          code: GIT_ECERTIFICATE.rawValue)
        case .unknown:
            guard credentials.acceptNewHostKey else {
                return refuse("\(host) is not in \(path): its host key is refused (add it, e.g. with ssh-keyscan, or pass --accept-new-host-key to record it on first connect)",
                              code: GIT_ECERTIFICATE.rawValue)
            }
            let line = KnownHosts.line(host: host, port: url.port, key: key)
            guard append(line, to: path, after: text) else {
                return refuse("cannot record the host key of \(host) in \(path)", code: GIT_ECERTIFICATE.rawValue)
            }
            notes.append("recorded the host key of \(KnownHosts.hostName(host, port: url.port)) in \(path) (first connection)")
            return 0
        }
    }

    /// Appends one line, on a line of its own.
    private func append(_ line: String, to path: String, after existing: String) -> Bool {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else { return false }
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let prefix = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        do {
            try AtomicFileWriter.writeAll(fd, Array((prefix + line + "\n").utf8), path: path)
            return true
        } catch {
            return false
        }
    }

    private func refuse(_ message: String, code: Int32 = GIT_EAUTH.rawValue) -> Int32 {
        LibGit2.setError(message)
        return code
    }
}

/// A reference the remote did not update, with its reason ("non-fast-forward", "fetch first", a hook's message).
public struct GitPushRejection: Sendable, Hashable, CustomStringConvertible {
    public var reference: String
    public var message: String
    public var description: String { "\(reference): \(message)" }
}

// The C callbacks: free functions, with the session as their payload.

func gitCredentialCallback(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, _ url: UnsafePointer<CChar>?,
                           _ username: UnsafePointer<CChar>?, _ allowed: UInt32, _ payload: UnsafeMutableRawPointer?) -> Int32 {
    guard let out, let session = GitRemoteSession.from(payload) else { return GIT_PASSTHROUGH.rawValue }
    return session.credential(out, requestURL: url.map { String(cString: $0) }, usernameFromURL: username.map { String(cString: $0) },
                              allowed: allowed)
}

func gitCertificateCallback(_ cert: UnsafeMutablePointer<git_cert>?, _ valid: Int32, _ host: UnsafePointer<CChar>?,
                            _ payload: UnsafeMutableRawPointer?) -> Int32 {
    guard let cert, let session = GitRemoteSession.from(payload) else { return GIT_PASSTHROUGH.rawValue }
    return session.checkCertificate(cert, valid: valid != 0, host: host.map { String(cString: $0) } ?? "?")
}

func gitPushUpdateReferenceCallback(_ reference: UnsafePointer<CChar>?, _ status: UnsafePointer<CChar>?,
                                    _ payload: UnsafeMutableRawPointer?) -> Int32 {
    guard let status, let session = GitRemoteSession.from(payload) else { return 0 }
    session.pushRejections.append(GitPushRejection(reference: reference.map { String(cString: $0) } ?? "?",
                                                   message: String(cString: status)))
    return 0
}
