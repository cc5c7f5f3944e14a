/// Where the exposure repo lives, as given to `--repo`, and what each transport needs from it.
public struct GitRemoteURL: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable {
        /// A path or `file://` URL: libgit2's local transport.
        case local
        case https, http, ssh, git
    }

    /// The URL as libgit2 receives it.
    public let text: String
    public let transport: Transport
    /// The user named in the URL (`git@host:…`), if any.
    public let user: String?
    public let host: String?
    public let port: Int?
    /// For local remotes: the repository's path on disk.
    public let localPath: String?

    /// Reads `text` as a git remote. Nil when it is not a URL (a plain path is a local remote only when it
    /// is a bare repository: the caller decides, since a plain folder is also a valid `--repo`).
    /// Throws when the URL carries a password: a token belongs in a file or the environment, never on a command line.
    public static func parse(_ text: String) throws(GitURLError) -> GitRemoteURL? {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else { throw GitURLError(text: text, reason: "a file:// URL needs an absolute path") }
            return GitRemoteURL(text: text, transport: .local, user: nil, host: nil, port: nil, localPath: path)
        }
        for transport in [Transport.https, .http, .ssh, .git] {
            let prefix = transport.rawValue + "://"
            guard text.hasPrefix(prefix) else { continue }
            return try parseAuthority(text, after: prefix, transport: transport)
        }
        // scp-like `user@host:path`: a colon before any slash, not a path.
        if !text.hasPrefix("/"), !text.hasPrefix("."), let colon = text.firstIndex(of: ":"),
           !text[..<colon].contains("/"), !text[..<colon].isEmpty {
            let authority = text[..<colon]
            let (user, host) = splitUser(authority)
            guard !host.isEmpty else { throw GitURLError(text: text, reason: "no host before ':'") }
            return GitRemoteURL(text: text, transport: .ssh, user: user, host: host, port: nil, localPath: nil)
        }
        return nil
    }

    /// A local path given as a remote (a bare repository).
    public static func local(path: String) -> GitRemoteURL {
        GitRemoteURL(text: path, transport: .local, user: nil, host: nil, port: nil, localPath: path)
    }

    private static func parseAuthority(_ text: String, after prefix: String, transport: Transport) throws(GitURLError) -> GitRemoteURL {
        let rest = text.dropFirst(prefix.count)
        let authority = rest.prefix { $0 != "/" }
        if authority.isEmpty { throw GitURLError(text: text, reason: "no host") }
        let (userInfo, hostPort) = splitUser(authority)
        if let userInfo, userInfo.contains(":") {
            throw GitURLError(text: redact(text), reason: "the URL carries a password: put the token in a file (--token-file) or an environment variable (--token-env)")
        }
        var host = hostPort
        var port: Int?
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let number = Int(host[host.index(after: colon)...]) else { throw GitURLError(text: text, reason: "the port is not a number") }
            port = number
            host = String(host[..<colon])
        }
        return GitRemoteURL(text: text, transport: transport, user: userInfo, host: host, port: port, localPath: nil)
    }

    private static func splitUser(_ authority: Substring) -> (user: String?, host: String) {
        guard let at = authority.lastIndex(of: "@") else { return (nil, String(authority)) }
        return (String(authority[..<at]), String(authority[authority.index(after: at)...]))
    }

    /// The URL without a password, for messages (parse refuses passwords; this covers anything else shown).
    static func redact(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<scheme.upperBound]) + authority[..<colon] + ":***" + text[at...]
    }

    public var description: String { GitRemoteURL.redact(text) }

    /// Scheme, host and port (the default one when the URL names none): where this remote's credentials may go.
    public var origin: String? {
        guard let host else { return nil }
        let defaultPort: Int? = switch transport {
        case .https: 443
        case .http: 80
        case .ssh: 22
        case .git: 9418
        case .local: nil
        }
        return "\(transport.rawValue)://\(host.lowercased())" + ((port ?? defaultPort).map { ":\($0)" } ?? "")
    }
}

public struct GitURLError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "--repo \(text): \(reason)" }
}
