import FoundationEssentials

/// A token or other secret: kept out of every description, log line, plan and report.
public struct GitSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String
    /// Where it came from ("the file /etc/…", "$VAR"), for messages that must say which secret failed.
    public let origin: String

    public init(value: String, origin: String) {
        self.value = value
        self.origin = origin
    }

    public var description: String { "<secret from \(origin)>" }
    public var debugDescription: String { description }

    /// The first line of a file, without its newline (how token files are usually written). The file must be
    /// private to its owner, regular and small (`SecretFile`).
    public static func fromFile(_ path: String) throws(GitError) -> GitSecret {
        do {
            return GitSecret(value: try SecretFile.firstLine(path, what: "the token file"), origin: "the file \(path)")
        } catch {
            throw GitError(operation: "read the token file \(path)", message: error.reasonWithAdvice)
        }
    }

    /// An environment variable's value, or nil when it is unset or empty.
    public static func fromEnvironment(_ name: String) -> GitSecret? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return GitSecret(value: value, origin: "$\(name)")
    }
}

/// How to authenticate to the remote and how to trust it.
public struct GitCredentials: Sendable {
    /// HTTPS: sent as the password of basic auth.
    public var token: GitSecret?
    /// The user for token or SSH auth when the URL names none (`git` for SSH, `reconcile` for HTTPS: forges
    /// accept any user name with a token).
    public var username: String?
    /// SSH: an unencrypted private key file; its `.pub` beside it is used when present.
    public var sshPrivateKey: String?
    /// SSH: the known_hosts file the server's host key must be in.
    public var knownHosts: String?
    /// SSH: a host not in known_hosts at all is trusted on first use and recorded there (a changed key never is).
    public var acceptNewHostKey: Bool

    public init(token: GitSecret? = nil, username: String? = nil, sshPrivateKey: String? = nil, knownHosts: String? = nil,
                acceptNewHostKey: Bool = false) {
        self.token = token
        self.username = username
        self.sshPrivateKey = sshPrivateKey
        self.knownHosts = knownHosts
        self.acceptNewHostKey = acceptNewHostKey
    }

    public static let none = GitCredentials()
}
