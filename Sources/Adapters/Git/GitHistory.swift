import CGit2

/// History questions and moving our own working clone.
extension GitRepository {
    /// Whether `ancestor` is in the history of `descendant` (or is it). A commit we no longer have is not:
    /// a force-push that dropped it leaves it out of everything fetched since.
    public func isAncestor(_ ancestor: GitOID, of descendant: GitOID) throws(GitError) -> Bool {
        if ancestor == descendant { return true }
        guard contains(ancestor) else { return false }
        var a = ancestor.raw, d = descendant.raw
        let code = git_graph_descendant_of(handle, &d, &a)
        try LibGit2.check(code, "compare the history of \(descendant.short) with \(ancestor.short)")
        return code == 1
    }

    /// Makes the work tree and a detached HEAD exactly `oid`. Only for a clone reconcile owns: local edits
    /// and untracked files there are discarded, since nobody is meant to work in it.
    public func checkoutDetached(_ oid: GitOID) throws(GitError) {
        try withCommit(oid) { commit throws(GitError) in
            var options = git_checkout_options()
            try LibGit2.check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare a checkout")
            options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
            try LibGit2.check(git_checkout_tree(handle, commit, &options), "check out \(oid.short)")
        }
        var raw = oid.raw
        try LibGit2.check(git_repository_set_head_detached(handle, &raw), "move HEAD to \(oid.short)")
    }
}
