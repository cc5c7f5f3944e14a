import CGit2
import EssentialsExtras
import FoundationEssentials

/// libgit2 (1.4.3 and later) refuses a repository owned by another user, like git's `safe.directory`.
/// Our state dir may belong to another uid (a container, CI, a service user), so the check is relaxed
/// only while opening repositories there, and put back right after: a user's checkout given as
/// `--repo PATH` is still checked.
enum GitOwnerValidation {
    private static let lock = Lock()

    static func relaxed<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
        _ = LibGit2.initialized
        lock.lock()
        defer { lock.unlock() }
        var enabled: Int32 = 1
        _ = reconcile_git_get_owner_validation(&enabled)
        _ = reconcile_git_set_owner_validation(0)
        defer { _ = reconcile_git_set_owner_validation(enabled) }
        return try body()
    }

    /// Whether libgit2 currently validates owners (for tests).
    static var isEnabled: Bool {
        _ = LibGit2.initialized
        var enabled: Int32 = 1
        _ = reconcile_git_get_owner_validation(&enabled)
        return enabled != 0
    }
}
