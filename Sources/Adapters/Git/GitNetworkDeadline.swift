#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EssentialsExtras

/// libgit2 1.5 has no network timeouts: a remote that accepts the connection and then says nothing would
/// hold a fetch or a push forever, and with it the reconcile lock. Every network operation runs under
/// this deadline. Past it, the connections the remote opened are shut down (`OutgoingSockets`): libgit2's
/// blocked read fails as on a dropped connection, it unwinds normally (handles freed, no ref moved: refs
/// are updated only after a complete download) and the operation throws a retryable timeout. `serve`
/// fails that cycle and the next tick retries; the daemon lives on.
///
/// Why not the alternatives: a fetch abandoned on a detached thread would keep writing the working clone
/// (and could move its refs back) while the next cycle uses it; a child process would need every
/// credential handed over, and killing it mid-write leaves lock files in the clone. Only if the call
/// still does not return once its sockets are shut (a hang outside them) does the process end with
/// EX_TEMPFAIL, as before: nothing else can free the thread.
public struct GitNetworkDeadline: Sendable, Hashable {
    /// Seconds one git network operation (connect, fetch, push) may take. `--git-timeout`, `git_timeout`.
    public static let defaultSeconds = 120.0
    /// How long a call may take to return once its sockets are shut, before the last resort.
    static let unwindSeconds = 15.0

    public var seconds: Double

    public init(seconds: Double = GitNetworkDeadline.defaultSeconds) {
        self.seconds = seconds
    }

    func run<T>(_ what: String, sockets: OutgoingSockets, _ body: () throws(GitError) -> T) throws(GitError) -> T {
        let watchdog = Watchdog(limit: seconds, what: what, sockets: sockets)
        watchdog.start()
        let result = Result { () throws(GitError) in try body() }
        guard watchdog.finish() else {
            throw GitError(operation: what, code: GitError.timeoutCode, message: Self.timeoutMessage(what, seconds))
        }
        return try result.get()
    }

    static func timeoutMessage(_ what: String, _ seconds: Double) -> String {
        "\(what) did not finish within \(Int(seconds)) s (bound: --git-timeout / git_timeout); "
            + "the remote accepted the connection but stopped answering"
    }

    /// Waits for the operation; at the deadline shuts its sockets, and ends the process only if even that
    /// does not bring the call back.
    private final class Watchdog: @unchecked Sendable {
        let limit: Double, what: String, sockets: OutgoingSockets
        let done = DispatchSemaphore(value: 0)
        private let lock = Lock()
        private var timedOut = false
        private var finished = false

        init(limit: Double, what: String, sockets: OutgoingSockets) {
            (self.limit, self.what, self.sockets) = (limit, what, sockets)
        }

        func start() {
            DispatchQueue.global().async { [self] in
                guard done.wait(timeout: .now() + limit) == .timedOut else { return }
                // The call may have returned between the wait and the lock: then its sockets are the next
                // operation's (the fetch after a connect), and must stay open.
                lock.lock()
                let late = !finished
                if late {
                    timedOut = true
                    sockets.shutDownNew()
                }
                lock.unlock()
                guard late else { return }
                if done.wait(timeout: .now() + GitNetworkDeadline.unwindSeconds) == .timedOut {
                    let message = "error: git: " + GitNetworkDeadline.timeoutMessage(what, limit)
                        + ", and the call did not return once its connections were shut. Nothing more was written; the next run retries.\n"
                    _ = message.withCString { write(2, $0, strlen($0)) }
                    _exit(75)
                }
            }
        }

        /// The operation returned: false when it was past the deadline.
        func finish() -> Bool {
            lock.lock()
            finished = true
            let inTime = !timedOut
            lock.unlock()
            done.signal()
            return inTime
        }
    }
}
