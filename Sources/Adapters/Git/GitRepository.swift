import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// One open `git_repository`, freed when this value goes away.
public final class GitRepository {
    let handle: OpaquePointer

    /// Opens the repository that holds `path` (searching upward, like `git` does).
    public init(path: String) throws(GitError) {
        _ = LibGit2.initialized
        var repo: OpaquePointer?
        try LibGit2.check(git_repository_open_ext(&repo, path, 0, nil), "open a repository at \(path)")
        handle = repo!
    }

    deinit { git_repository_free(handle) }

    /// True when `path` (a file inside the work tree) differs from HEAD or is not tracked:
    /// the plan then says the desired state is not exactly the named commit.
    public func hasUncommittedChanges(at path: String) throws(GitError) -> Bool {
        guard let workdir = git_repository_workdir(handle).map({ String(cString: $0) }) else { return false }
        let absolute = GitRepository.realPath(path) ?? path
        let root = GitRepository.realPath(workdir) ?? workdir
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard absolute.hasPrefix(prefix) else { return false }
        var flags: UInt32 = 0
        try LibGit2.check(git_status_file(&flags, handle, String(absolute.dropFirst(prefix.count))), "read the status of \(path)")
        return flags != GIT_STATUS_CURRENT.rawValue
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The commit HEAD points at, or nil for a repository without commits.
    public func headCommit() throws(GitError) -> GitCommitInfo? {
        var reference: OpaquePointer?
        let code = git_repository_head(&reference, handle)
        if code == GIT_EUNBORNBRANCH.rawValue || code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "read HEAD")
        defer { git_reference_free(reference) }
        var object: OpaquePointer?
        try LibGit2.check(git_reference_peel(&object, reference, GIT_OBJECT_COMMIT), "resolve HEAD to a commit")
        defer { git_object_free(object) }
        return GitCommitInfo(commit: object!)
    }
}

/// A commit's id and subject line, as plans and reports name the desired state.
public struct GitCommitInfo: Sendable, Hashable {
    public var id: String
    public var subject: String

    init(commit: OpaquePointer) {
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, git_commit_id(commit))
        id = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        subject = git_commit_summary(commit).map { String(cString: $0) } ?? ""
    }
}
