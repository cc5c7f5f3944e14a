import CGit2

/// Who a commit is by: reconcile commits its reports under the gateway's name.
public struct GitSignature: Sendable, Hashable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// Commits without a work tree: the parent's tree with some files replaced, built with tree builders.
extension GitRepository {
    /// Writes `files` (repo-relative paths) over `parent`'s tree and commits the result with `parent` as its only
    /// parent (a root commit when nil). Returns nil when the tree is identical to the parent's: nothing to commit.
    /// No reference moves: the caller points its own branch at the result.
    public func commitFiles(_ files: [String: [UInt8]], onto parent: GitOID?, message: String,
                            signature: GitSignature) throws(GitError) -> GitOID? {
        let baseTree: GitOID? = try parent.map { oid throws(GitError) in try withTree(of: oid) { GitOID(git_tree_id($0)) } }
        let entries = files.map { (components: $0.key.split(separator: "/").map(String.init), bytes: $0.value) }
        let treeID = try writeTree(base: baseTree, entries: entries)
        if treeID == baseTree { return nil }

        var author: UnsafeMutablePointer<git_signature>?
        try LibGit2.check(git_signature_now(&author, signature.name, signature.email), "make a signature for \(signature.name)")
        defer { git_signature_free(author) }
        var treeRaw = treeID.raw
        var tree: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&tree, handle, &treeRaw), "read the new tree")
        defer { git_tree_free(tree) }
        var parentCommit: OpaquePointer?
        if let parent {
            var raw = parent.raw
            try LibGit2.check(git_commit_lookup(&parentCommit, handle, &raw), "find commit \(parent.short)")
        }
        defer { git_commit_free(parentCommit) }
        var parents: [OpaquePointer?] = parentCommit.map { [$0] } ?? []
        var id = git_oid()
        let code = parents.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(&id, handle, nil, author, author, nil, message, tree, buffer.count, buffer.baseAddress)
        }
        try LibGit2.check(code, "commit \(files.keys.sorted().joined(separator: ", "))")
        return GitOID(id)
    }

    /// One level of the tree: blobs for files here, recursion for folders, on top of `base` (nil: empty).
    private func writeTree(base: GitOID?, entries: [(components: [String], bytes: [UInt8])]) throws(GitError) -> GitOID {
        var baseTree: OpaquePointer?
        if let base {
            var raw = base.raw
            try LibGit2.check(git_tree_lookup(&baseTree, handle, &raw), "read tree \(base.short)")
        }
        defer { git_tree_free(baseTree) }
        var builder: OpaquePointer?
        try LibGit2.check(git_treebuilder_new(&builder, handle, baseTree), "start a tree")
        defer { git_treebuilder_free(builder) }

        var folders: [String: [(components: [String], bytes: [UInt8])]] = [:]
        for entry in entries where !entry.components.isEmpty {
            let name = entry.components[0]
            if entry.components.count == 1 {
                var blob = git_oid()
                let code = entry.bytes.withUnsafeBytes { git_blob_create_from_buffer(&blob, handle, $0.baseAddress, $0.count) }
                try LibGit2.check(code, "store \(name)")
                try LibGit2.check(git_treebuilder_insert(nil, builder, name, &blob, GIT_FILEMODE_BLOB), "add \(name) to a tree")
            } else {
                folders[name, default: []].append((Array(entry.components.dropFirst()), entry.bytes))
            }
        }
        for (name, children) in folders.sorted(by: { $0.key < $1.key }) {
            var existing: GitOID?
            if let entry = git_treebuilder_get(builder, name), git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                existing = GitOID(git_tree_entry_id(entry))
            }
            var subtree = try writeTree(base: existing, entries: children).raw
            try LibGit2.check(git_treebuilder_insert(nil, builder, name, &subtree, GIT_FILEMODE_TREE), "add folder \(name) to a tree")
        }
        var id = git_oid()
        try LibGit2.check(git_treebuilder_write(&id, builder), "write a tree")
        return GitOID(id)
    }
}
