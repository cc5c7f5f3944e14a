#if canImport(Glibc)
import Glibc
#endif

/// One reconcile at a time per gateway: an exclusive `flock` on a file in the state dir, shared by
/// the CLI and the daemon. The kernel drops it when the process dies, so a crash never leaves it stuck.
public final class ReconcileLock {
    private let fd: Int32
    public let path: String

    /// Waits up to `timeout` seconds for the lock, then gives up with a message naming the lock file.
    /// Seconds to wait for another reconcile to finish (`--lock-timeout`).
    public static let defaultTimeout = 30.0

    public init(stateDir: String, timeout: Double = ReconcileLock.defaultTimeout) throws(FileError) {
        try Directories.createStateDir(stateDir)
        path = stateDir + "/reconcile.lock"
        // Never through a link planted in its place.
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError.errno(path, "open the lock file") }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let error = FileError.errno(path, "lock it")
                close(fd)
                throw error
            }
            if waited >= timeout {
                close(fd)
                throw FileError(path: path, operation: "take the reconcile lock",
                                reason: "another reconcile has held it for \(Int(timeout)) s; try again when it finishes")
            }
            usleep(100_000)
            waited += 0.1
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
