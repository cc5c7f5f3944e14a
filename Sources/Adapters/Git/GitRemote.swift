import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// One anonymous `git_remote` (nothing written to the clone's config: the URL comes from the command line
/// each time), freed when this value goes away. Connect, list, fetch and push go through it.
public final class GitRemote {
    let handle: OpaquePointer
    let repository: GitRepository
    let session: GitRemoteSession
    let deadline: GitNetworkDeadline
    /// Taken before any connection: at a deadline, what is new since is what this remote opened.
    let sockets = OutgoingSockets()
    public let url: GitRemoteURL

    public init(repository: GitRepository, url: GitRemoteURL, credentials: GitCredentials,
                deadline: GitNetworkDeadline = GitNetworkDeadline()) throws(GitError) {
        self.deadline = deadline
        var remote: OpaquePointer?
        try LibGit2.check(git_remote_create_anonymous(&remote, repository.handle, url.text), "use \(url) as a remote")
        handle = remote!
        self.repository = repository
        self.url = url
        session = GitRemoteSession(url: url, credentials: credentials)
    }

    deinit { git_remote_free(handle) }

    /// A redirect to another host is never followed (libgit2's default follows one on the first request, and
    /// the credentials would go with it); one within the same host still is. libgit2 compares host names
    /// only: another port of the same host is refused credentials by `GitRemoteSession.credentialProblem`.
    static let redirects = GIT_REMOTE_REDIRECT_NONE

    /// What the host key check recorded (first-use host keys), for the run's output.
    public var notes: [String] { session.notes }

    private func callbacks() throws(GitError) -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        try LibGit2.check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "prepare remote callbacks")
        callbacks.credentials = gitCredentialCallback
        callbacks.certificate_check = gitCertificateCallback
        callbacks.push_update_reference = gitPushUpdateReferenceCallback
        callbacks.payload = session.payload
        session.beginOperation()
        return callbacks
    }

    /// Opens the connection and reads the remote's refs (what `git ls-remote` shows).
    public func connect(forPush: Bool = false) throws(GitError) {
        var options = git_remote_connect_options()
        try LibGit2.check(git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION)), "prepare a connection")
        options.callbacks = try callbacks()
        options.follow_redirects = Self.redirects
        let code = try deadline.run("connecting to \(url)", sockets: sockets) { () throws(GitError) in
            withExtendedLifetime(session) {
                git_remote_connect_ext(handle, forPush ? GIT_DIRECTION_PUSH : GIT_DIRECTION_FETCH, &options)
            }
        }
        if code < 0, url.transport == .local {
            var error = GitError.last("connect to \(url)", code: code)
            // libgit2 1.5.1 words a repository owned by another user as a missing safe.directory setting.
            if error.message.contains("safe.directory") {
                error.message = "\(url) is owned by another user and libgit2 refuses to open it (\(error.message)); "
                    + "run reconcile as its owner, or reach it through ssh://"
            }
            throw error
        }
        try LibGit2.check(code, "connect to \(url)")
    }

    public func disconnect() {
        git_remote_disconnect(handle)
    }

    /// The branch the remote's HEAD names (its default branch), once connected.
    public func defaultBranch() throws(GitError) -> String? {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let code = git_remote_default_branch(&buffer, handle)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "read the default branch of \(url)")
        guard let pointer = buffer.ptr else { return nil }
        let name = String(cString: pointer)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
    }

    /// The remote's refs and what they point at, once connected.
    public func heads() throws(GitError) -> [String: GitOID] {
        var list: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try LibGit2.check(git_remote_ls(&list, &count, handle), "list the refs of \(url)")
        var result: [String: GitOID] = [:]
        for index in 0..<count {
            guard let head = list?[index] else { continue }
            var oid = head.pointee.oid
            result[String(cString: head.pointee.name)] = GitOID(&oid)
        }
        return result
    }

    /// Downloads what `refspecs` need and updates their local refs. No tags, no pruning.
    public func fetch(_ refspecs: [String]) throws(GitError) {
        var options = git_fetch_options()
        try LibGit2.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "prepare a fetch")
        options.callbacks = try callbacks()
        options.follow_redirects = Self.redirects
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        let code = try deadline.run("fetching from \(url)", sockets: sockets) { () throws(GitError) in
            withExtendedLifetime(session) {
                withStringArray(refspecs) { git_remote_fetch(handle, $0, &options, "reconcile: fetch") }
            }
        }
        try LibGit2.check(code, "fetch \(refspecs.joined(separator: " ")) from \(url)")
    }

    /// Pushes `refspecs` (never forced: reconcile only ever fast-forwards the status branch). Returns the refs
    /// the remote refused: libgit2's own fast-forward check fails with GIT_ENONFASTFORWARD; the server's
    /// refusals arrive through `push_update_reference`. Other failures throw.
    public func push(_ refspecs: [String]) throws(GitError) -> [GitPushRejection] {
        var options = git_push_options()
        try LibGit2.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare a push")
        options.callbacks = try callbacks()
        options.follow_redirects = Self.redirects
        // libgit2's local transport moves the remote ref without checking its old value; a lock on the remote
        // serialises local pushes so its fast-forward check is atomic, as a server's receive-pack is.
        let lock = try url.localPath.map { path throws(GitError) in try LocalPushLock(repository: path) }
        let code = try deadline.run("pushing to \(url)", sockets: sockets) { () throws(GitError) in
            withExtendedLifetime(session) {
                withStringArray(refspecs) { git_remote_push(handle, $0, &options) }
            }
        }
        withExtendedLifetime(lock) {}
        if code == GIT_ENONFASTFORWARD.rawValue {
            let error = GitError.last("push", code: code)
            return refspecs.map { GitPushRejection(reference: destination(of: $0), message: error.message) }
        }
        try LibGit2.check(code, "push \(refspecs.joined(separator: " ")) to \(url)")
        return session.pushRejections
    }

    private func destination(of refspec: String) -> String {
        refspec.split(separator: ":").last.map(String.init) ?? refspec
    }
}

/// A `git_strarray` of C strings that lives only for `body`.
func withStringArray<T>(_ strings: [String], _ body: (UnsafePointer<git_strarray>) -> T) -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return body(&array)
    }
}

/// An exclusive `flock` on a file in a local remote repository, held for one push.
final class LocalPushLock {
    private let fd: Int32

    init(repository path: String, timeout: Double = 60) throws(GitError) {
        let gitDir = GitRepository.isBareRepository(at: path) ? path : path + "/.git"
        let file = gitDir + "/reconcile-push.lock"
        fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw GitError(operation: "push to \(path)", message: "cannot open \(file): \(String(cString: strerror(errno)))")
        }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if waited >= timeout {
                close(fd)
                throw GitError(operation: "push to \(path)", message: "another push has held \(file) for \(Int(timeout)) s")
            }
            usleep(2_000)
            waited += 0.002
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
