import CGit2

/// A commit's signature header and the bytes it signs, as libgit2 extracts them.
public struct GitCommitSignature: Sendable, Hashable {
    /// The armored signature (`-----BEGIN SSH SIGNATURE-----` or `-----BEGIN PGP SIGNATURE-----`).
    public var signature: [UInt8]
    /// The commit object without its signature header: what the signer signed.
    public var signedData: [UInt8]
}

extension GitRepository {
    /// The signature of commit `oid`; nil when the commit is not signed.
    public func signature(of oid: GitOID) throws(GitError) -> GitCommitSignature? {
        var raw = oid.raw
        var signature = git_buf()
        var signed = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signed)
        }
        let code = git_commit_extract_signature(&signature, &signed, handle, &raw, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "read the signature of commit \(oid.short)")
        return GitCommitSignature(signature: Self.bytes(signature), signedData: Self.bytes(signed))
    }

    private static func bytes(_ buffer: git_buf) -> [UInt8] {
        guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: buffer.size) { Array(UnsafeBufferPointer(start: $0, count: buffer.size)) }
    }
}
