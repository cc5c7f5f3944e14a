import CGit2
import FoundationEssentials

/// A libgit2 failure: the operation we attempted and libgit2's own message.
/// Messages never carry a credential: tokens are not part of any URL we accept.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var message: String

    public init(operation: String, code: Int32 = -1, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// Reads libgit2's thread-local error right after the failing call.
    static func last(_ operation: String, code: Int32) -> GitError {
        let message = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown libgit2 error"
        return GitError(operation: operation, code: code, message: message)
    }

    /// The operation passed its `GitNetworkDeadline` (libgit2 1.5 has no timeout code of its own).
    public var isTimeout: Bool { code == GitError.timeoutCode }
    static let timeoutCode: Int32 = -1_000_075

    public var description: String { "git: cannot \(operation): \(message)" }
}

/// `git_libgit2_init` once per process.
enum LibGit2 {
    static let initialized: Bool = {
        git_libgit2_init()
        // As git does: a private CA for an https:// remote on the LAN (no token ever goes over http://).
        if let file = ProcessInfo.processInfo.environment["GIT_SSL_CAINFO"], !file.isEmpty {
            _ = reconcile_git_set_ssl_cert_file(file)
        }
        return true
    }()

    static func check(_ code: Int32, _ operation: String) throws(GitError) {
        if code < 0 { throw GitError.last(operation, code: code) }
    }

    /// Sets libgit2's thread-local error, so the failing call returns our message as its own.
    static func setError(_ message: String) {
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
    }
}
