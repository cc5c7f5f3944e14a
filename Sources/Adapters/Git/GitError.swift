import CGit2

/// A libgit2 failure: the operation we attempted and libgit2's own message.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var message: String

    /// Reads libgit2's thread-local error right after the failing call.
    static func last(_ operation: String, code: Int32) -> GitError {
        let message = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown libgit2 error"
        return GitError(operation: operation, code: code, message: message)
    }

    public var description: String { "git: cannot \(operation): \(message)" }
}

/// `git_libgit2_init` once per process.
enum LibGit2 {
    static let initialized: Bool = {
        git_libgit2_init()
        return true
    }()

    static func check(_ code: Int32, _ operation: String) throws(GitError) {
        if code < 0 { throw GitError.last(operation, code: code) }
    }
}
