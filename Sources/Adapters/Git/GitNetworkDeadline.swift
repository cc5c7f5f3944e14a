#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// libgit2 1.5 has no network timeouts: a remote that accepts the connection and then says nothing
/// would hold a fetch or a push forever, and with it the reconcile lock. Every network operation runs
/// under this deadline; past it the process exits with EX_TEMPFAIL (75) and says why. That is safe at
/// both places it can happen: a fetch comes before any write, a push of the status report after the
/// apply has finished; the next run retries either.
public enum GitNetworkDeadline {
    /// Seconds one git network operation (connect, fetch, push) may take. `--git-timeout`, `git_timeout`.
    public static let defaultSeconds = 120.0
    nonisolated(unsafe) private static var configured = defaultSeconds
    private static let lock = NSLockLike()

    /// Set once at start-up, from the settings.
    public static func set(seconds: Double) { lock.locked { configured = seconds } }
    public static var seconds: Double { lock.locked { configured } }

    static func run<T>(_ what: String, _ body: () throws(GitError) -> T) throws(GitError) -> T {
        let limit = seconds
        let done = DispatchSemaphore(value: 0)
        let watchdog = Thread(limit: limit, what: what, done: done)
        watchdog.start()
        defer { done.signal() }
        return try body()
    }

    /// The watchdog: waits for the operation, or ends the process at the deadline.
    private final class Thread: @unchecked Sendable {
        let limit: Double, what: String, done: DispatchSemaphore
        init(limit: Double, what: String, done: DispatchSemaphore) { (self.limit, self.what, self.done) = (limit, what, done) }

        func start() {
            DispatchQueue.global().async { [self] in
                if done.wait(timeout: .now() + limit) == .timedOut {
                    let message = "error: git: \(what) did not finish within \(Int(limit)) s (bound: --git-timeout / git_timeout); "
                        + "the remote accepted the connection but stopped answering. Nothing more was written; the next run retries.\n"
                    _ = message.withCString { write(2, $0, strlen($0)) }
                    _exit(75)
                }
            }
        }
    }
}

/// A pthread mutex for the one setting above.
private final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
