import Adapters
import Diagnostics
import FoundationEssentials

/// `--repo URL`: the exposure repo as a git remote, followed through a working clone in the state dir.
public struct RemoteSource: Sendable {
    public var url: GitRemoteURL
    /// The branch to follow; nil follows the remote's default branch.
    public var branch: String?
    public var credentials: GitCredentials
    /// Follow a branch whose history no longer contains the applied commit.
    public var allowForcePush: Bool
    /// How long one fetch or push may take (`--git-timeout`, `git_timeout`).
    public var deadline: GitNetworkDeadline

    public init(url: GitRemoteURL, branch: String? = nil, credentials: GitCredentials = .none, allowForcePush: Bool = false,
                deadline: GitNetworkDeadline = GitNetworkDeadline()) {
        self.url = url
        self.branch = branch
        self.credentials = credentials
        self.allowForcePush = allowForcePush
        self.deadline = deadline
    }
}

/// The branch head a fetch found.
public struct FetchedHead: Sendable {
    public var commit: GitCommitInfo
    public var branch: String
    /// Worth telling the user (a host key recorded on first use).
    public var notes: [String]
}

/// Keeps `<state-dir>/repo` at the head of the followed branch. Each step is separate so the caller can
/// report what it knows when a later one fails: a refused force-push still names the commit it refused.
public enum GitSource {
    public static func clonePath(stateDir: String) -> String { stateDir + "/repo" }

    /// Fetches the followed branch (only it: pushes to the status branch never trigger anything) and
    /// returns its head. Nothing in the work tree moves yet.
    public static func fetch(_ source: RemoteSource, stateDir: String, statusBranch: String) throws(ReconcileError) -> FetchedHead {
        let repository = try openClone(stateDir: stateDir)
        do {
            let remote = try GitRemote(repository: repository, url: source.url, credentials: source.credentials, deadline: source.deadline)
            try remote.connect()
            defer { remote.disconnect() }
            guard let branch = try source.branch ?? remote.defaultBranch() else {
                throw ReconcileError.invalidInput(DiagnosticList([Diagnostic(
                    file: source.url.description, position: nil, message: "the remote has no default branch (an empty repository?)",
                    hint: "push the exposure repo there, or name the branch with --branch")]), reason: .invalidSettings)
            }
            guard branch != statusBranch else {
                throw ReconcileError.invalidInput(DiagnosticList([Diagnostic(
                    file: source.url.description, position: nil, message: "the followed branch '\(branch)' is the status branch",
                    hint: "reconcile commits reports to --status-branch; following it would loop: pick another --branch or --status-branch")]), reason: .invalidSettings)
            }
            guard let head = try remote.heads()["refs/heads/\(branch)"] else {
                throw ReconcileError.invalidInput(DiagnosticList([Diagnostic(
                    file: source.url.description, position: nil, message: "there is no branch '\(branch)'",
                    hint: "push it, or name an existing branch with --branch")]), reason: .invalidSettings)
            }
            let tracking = trackingRef(branch)
            // Nothing new: skip the download (what makes a no-change cycle cheap).
            if try repository.resolve(reference: tracking) != head || !repository.contains(head) {
                try remote.fetch(["+refs/heads/\(branch):\(tracking)"])
            }
            guard repository.contains(head) else {
                throw ReconcileError.failed(.gitUnreachable, "git: fetched \(branch) from \(source.url) but commit \(head.short) is missing: the remote may be corrupt")
            }
            return FetchedHead(commit: try repository.commit(head), branch: branch, notes: remote.notes)
        } catch let error as GitError {
            throw .failed(error.isTimeout ? .gitTimeout : .gitUnreachable, "cannot fetch \(source.url): \(error.message)")
        } catch let error as ReconcileError {
            throw error
        } catch {
            throw .failed(.gitUnreachable, "cannot fetch \(source.url): \(error)")
        }
    }

    /// Refuses a head whose history lost the applied commit, unless the user allowed following force-pushes.
    /// Returns a note when it followed one.
    public static func checkHistory(_ head: FetchedHead, applied: AppliedCommit?, source: RemoteSource,
                                    stateDir: String) throws(ReconcileError) -> String? {
        guard let applied, applied.id != head.commit.id, let appliedID = GitOID(hex: applied.id), let headID = head.commit.oid else {
            return nil
        }
        let repository = try openClone(stateDir: stateDir)
        let rewritten: Bool
        do {
            rewritten = try !repository.isAncestor(appliedID, of: headID)
        } catch {
            throw .failed(.gitUnreachable, "cannot read the history of \(head.branch): \(error.message)")
        }
        guard rewritten else { return nil }
        let what = "\(head.branch) was force-pushed: the applied commit \(appliedID.short) \"\(applied.subject)\" is not in the history of \(headID.short) \"\(head.commit.subject)\""
        guard source.allowForcePush else {
            throw .invalidInput(DiagnosticList([Diagnostic(
                file: source.url.description, position: nil, message: what + "; the gateway stays at \(appliedID.short)",
                hint: "push a commit on top of \(appliedID.short), or run with --allow-force-push to follow the rewritten branch")]), reason: .historyRewritten)
        }
        return what + "; followed it (--allow-force-push)"
    }

    /// Moves the working clone to the head: work tree and detached HEAD, local edits discarded.
    public static func checkout(_ head: FetchedHead, stateDir: String) throws(ReconcileError) {
        guard let oid = head.commit.oid else { return }
        let repository = try openClone(stateDir: stateDir)
        do {
            try repository.checkoutDetached(oid)
        } catch {
            throw .failed(.gitUnreachable, "cannot check out \(oid.short): \(error.message)")
        }
    }

    static func trackingRef(_ branch: String) -> String { "refs/remotes/origin/\(branch)" }

    /// The working clone, created on first use. One that libgit2 cannot open is moved aside (and reported),
    /// so the next cycle clones afresh instead of failing the same way forever.
    static func openClone(stateDir: String) throws(ReconcileError) -> GitRepository {
        let path = clonePath(stateDir: stateDir)
        do {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    return try GitRepository.openOwned(path)
                } catch {
                    let aside = path + ".unusable-\(Int(Date().timeIntervalSince1970))"
                    let moved = (try? FileManager.default.moveItem(atPath: path, toPath: aside)) != nil
                    throw ReconcileError.failed(.gitUnreachable, "the working clone \(path) cannot be opened (\(error.message))"
                                               + (moved ? "; moved it to \(aside), the next run clones afresh" : ""))
                }
            }
            try Directories.create(stateDir)
            return try GitRepository.create(path)
        } catch let error as ReconcileError {
            throw error
        } catch let error as GitError {
            throw .failed(error.isTimeout ? .gitTimeout : .gitUnreachable, error.description)
        } catch {
            throw .failed(.gitUnreachable, "\(error)")
        }
    }
}
