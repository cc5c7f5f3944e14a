import Adapters

/// What the sync step learned: the checkout the desired state is read from this run, and the commit a
/// remote was synced to. A value of its own, so the settings stay as they were resolved.
public struct SyncedSource: Sendable {
    /// `--repo` itself (a local checkout or plain folder), or the working clone of a remote.
    public var checkout: String
    /// The commit the working clone was moved to; nil for a local checkout (the observer reads its HEAD).
    public var commit: GitCommitInfo?
    /// The followed branch, for a remote.
    public var branch: String?
    /// Worth telling: a host key recorded, a force-push followed.
    public var notes: [String] = []
    /// The checkout is reconcile's working clone, at `commit`.
    public var isWorkingClone = false

    /// A local `--repo`: nothing to sync.
    public init(local settings: ReconcileSettings) {
        checkout = settings.repo
    }

    /// The desired-state file `file` (inside the checkout) on disk.
    public func path(of file: String) -> String {
        (checkout.hasSuffix("/") ? checkout : checkout + "/") + file
    }

    /// Messages name the file inside a working clone by its path in the repo (the clone's path means
    /// nothing to the user), and a local one by its path on disk.
    public func label(of file: String) -> String {
        isWorkingClone ? file : path(of: file)
    }
}

/// Step 1: the remote's branch fetched, its history checked against the applied commit, and the working
/// clone moved to its head. A local `--repo` has nothing to sync. What it learns goes into `source` as it
/// goes, so a refused force-push still names the commit it refused.
public enum SourceSync {
    public static func sync(_ settings: ReconcileSettings, into source: inout SyncedSource) throws(ReconcileError) {
        guard let remote = settings.remote else { return }
        let stateDir = settings.paths.stateDir
        let head = try GitSource.fetch(remote, stateDir: stateDir, statusBranch: settings.statusBranch)
        (source.commit, source.branch) = (head.commit, head.branch)
        source.notes += head.notes
        if let note = try GitSource.checkHistory(head, applied: AppliedCommitStore.load(stateDir: stateDir), source: remote, stateDir: stateDir) {
            source.notes.append(note)
        }
        try GitSource.checkout(head, stateDir: stateDir)
        (source.checkout, source.isWorkingClone) = (GitSource.clonePath(stateDir: stateDir), true)
    }
}
