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
        let code = git_repository_open_ext(&repo, path, 0, nil)
        if code < 0 {
            let error = GitError.last("open a repository at \(path)", code: code)
            // libgit2 1.5.1 reports a repository owned by another user as GIT_ENOTFOUND "config value
            // 'safe.directory' was not found" when no safe.directory is configured: say what it means.
            if code == GIT_EOWNER.rawValue || error.message.contains("safe.directory") {
                throw GitError(operation: error.operation, code: GIT_EOWNER.rawValue,
                               message: "it is owned by another user, and libgit2 refuses it like git's safe.directory check (\(error.message))")
            }
            throw error
        }
        handle = repo!
    }

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { git_repository_free(handle) }

    /// Opens a repository reconcile owns (in its state dir): exactly at `path`, owner check relaxed.
    public static func openOwned(_ path: String) throws(GitError) -> GitRepository {
        try GitOwnerValidation.relaxed { () throws(GitError) -> GitRepository in
            var repo: OpaquePointer?
            try LibGit2.check(git_repository_open_ext(&repo, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil),
                              "open the repository at \(path)")
            return GitRepository(handle: repo!)
        }
    }

    /// Creates an empty repository at `path` (with a work tree unless `bare`).
    public static func create(_ path: String, bare: Bool = false) throws(GitError) -> GitRepository {
        _ = LibGit2.initialized
        var repo: OpaquePointer?
        try LibGit2.check(git_repository_init(&repo, path, bare ? 1 : 0), "create a repository at \(path)")
        return GitRepository(handle: repo!)
    }

    /// Opens the repository that holds `path`, or nil when there is none. A folder with no `.git` and no
    /// `HEAD` in it or any folder above it cannot be in a repository: then libgit2 is not even started,
    /// since its start-up loads every CA certificate of the system (for TLS that a local folder never
    /// needs; 6% of a 1,000-service `plan`, issue #15).
    public static func openIfAny(path: String) -> GitRepository? {
        guard mayBeInRepository(path) else { return nil }
        return try? GitRepository(path: path)
    }

    /// False only when no folder from `path` (its real path, as libgit2 resolves it) up to `/` holds a
    /// `.git` (folder or gitfile) or a `HEAD` (a bare repository): libgit2's discovery would find nothing.
    static func mayBeInRepository(_ path: String) -> Bool {
        guard let real = realPath(path) else { return true }
        var folder = real
        while true {
            if access(folder + "/.git", F_OK) == 0 || access(folder + "/HEAD", F_OK) == 0 { return true }
            guard folder != "/", let slash = folder.lastIndex(of: "/") else { return false }
            folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
        }
    }

    /// A bare repository on disk (HEAD, objects/, refs/ and no work tree): a remote, not a checkout.
    public static func isBareRepository(at path: String) -> Bool {
        var info = stat()
        let isDirectory = { (p: String) in stat(p, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR }
        let isFile = { (p: String) in stat(p, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG }
        return isFile(path + "/HEAD") && isDirectory(path + "/objects") && isDirectory(path + "/refs") && !isDirectory(path + "/.git")
    }

    public var workdir: String? { git_repository_workdir(handle).map { String(cString: $0) } }

    /// The git dir (`.git/` of a checkout, or the bare repository itself).
    public var gitDir: String { String(cString: git_repository_path(handle)) }

    /// True when `path` (a file inside the work tree) differs from HEAD or is not tracked:
    /// the plan then says the desired state is not exactly the named commit.
    public func hasUncommittedChanges(at path: String) throws(GitError) -> Bool {
        guard let workdir else { return false }
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

    /// The id a reference points at (peeled to a commit), or nil when there is no such reference.
    public func resolve(reference name: String) throws(GitError) -> GitOID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, handle, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "read the reference \(name)")
        return GitOID(oid)
    }

    /// Points `name` at `target`, creating or moving it (our own refs only: no compare-and-swap needed).
    public func setReference(_ name: String, to target: GitOID, message: String) throws(GitError) {
        var oid = target.raw
        var reference: OpaquePointer?
        try LibGit2.check(git_reference_create(&reference, handle, name, &oid, 1, message), "set \(name) to \(target.short)")
        git_reference_free(reference)
    }

    /// Whether the object database holds `oid`.
    public func contains(_ oid: GitOID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return false }
        defer { git_odb_free(odb) }
        var raw = oid.raw
        return git_odb_exists(odb, &raw) == 1
    }

    /// The id and subject of a commit.
    public func commit(_ oid: GitOID) throws(GitError) -> GitCommitInfo {
        try withCommit(oid) { commit throws(GitError) in GitCommitInfo(commit: commit) }
    }

    /// Looks a commit up and frees it after `body`.
    func withCommit<T>(_ oid: GitOID, _ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        var raw = oid.raw
        var commit: OpaquePointer?
        try LibGit2.check(git_commit_lookup(&commit, handle, &raw), "find commit \(oid.short)")
        defer { git_commit_free(commit) }
        return try body(commit!)
    }
}

/// A commit's id and subject line, as plans and reports name the desired state.
public struct GitCommitInfo: Sendable, Hashable {
    public var id: String
    public var subject: String
    /// `Name <email>`, for notifications; nil when not read from git.
    public var author: String?

    public init(id: String, subject: String, author: String? = nil) {
        self.id = id
        self.subject = subject
        self.author = author
    }

    init(commit: OpaquePointer) {
        id = GitOID(git_commit_id(commit)).hex
        subject = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        author = git_commit_author(commit).map { "\(String(cString: $0.pointee.name)) <\(String(cString: $0.pointee.email))>" }
    }

    public var oid: GitOID? { GitOID(hex: id) }
}
