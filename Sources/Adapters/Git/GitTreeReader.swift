import CGit2

/// Reading files of a commit without a work tree (the status branch is never checked out).
extension GitRepository {
    /// The bytes of `path` in `commit`, or nil when there is no such file.
    public func readFile(_ path: String, at commit: GitOID) throws(GitError) -> [UInt8]? {
        try withTree(of: commit) { tree throws(GitError) -> [UInt8]? in
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, tree, path)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try LibGit2.check(code, "find \(path) in \(commit.short)")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
            var blob: OpaquePointer?
            try LibGit2.check(git_blob_lookup(&blob, handle, git_tree_entry_id(entry)), "read \(path) in \(commit.short)")
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
            return Array(UnsafeRawBufferPointer(start: content, count: size))
        }
    }

    /// The names of the sub-folders of `path` in `commit` (none when the folder does not exist).
    public func folders(in path: String, at commit: GitOID) throws(GitError) -> [String] {
        try withTree(of: commit) { root throws(GitError) -> [String] in
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, root, path)
            if code == GIT_ENOTFOUND.rawValue { return [] }
            try LibGit2.check(code, "find \(path) in \(commit.short)")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return [] }
            var tree: OpaquePointer?
            try LibGit2.check(git_tree_lookup(&tree, handle, git_tree_entry_id(entry)), "read \(path) in \(commit.short)")
            defer { git_tree_free(tree) }
            var names: [String] = []
            for index in 0..<git_tree_entrycount(tree) {
                guard let child = git_tree_entry_byindex(tree, index), git_tree_entry_type(child) == GIT_OBJECT_TREE else { continue }
                names.append(String(cString: git_tree_entry_name(child)))
            }
            return names
        }
    }

    func withTree<T>(of commit: GitOID, _ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        try withCommit(commit) { object throws(GitError) -> T in
            var tree: OpaquePointer?
            try LibGit2.check(git_commit_tree(&tree, object), "read the tree of \(commit.short)")
            defer { git_tree_free(tree) }
            return try body(tree!)
        }
    }
}
