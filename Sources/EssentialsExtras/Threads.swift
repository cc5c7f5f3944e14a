#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads, locks and conditions as Foundation's `Thread`, `NSLock` and `NSCondition` gave them, on pthreads:
/// those classes are only in full Foundation (issue #24: its ICU is too big for the release binary).
public enum Threads {
    /// Runs `work` on a new detached thread (the platform's default stack, as `Thread` had), named `name`
    /// where the platform lets a thread be named (15 bytes at most on Linux; longer names are cut).
    public static func start(name: String? = nil, _ work: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Work(name: name, work)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, threadEntry, box)
        // Out of threads or memory: as Foundation's `Thread.start()`, nothing can go on without it.
        precondition(status == 0, "cannot start a thread: error \(status)")
        pthread_detach(thread)
    }

    /// Blocks the calling thread for `seconds` (Foundation's `Thread.sleep(forTimeInterval:)`).
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
    }

    /// The calling thread's name, as `top -H` and /proc show it. Linux: written to /proc/thread-self/comm
    /// (pthread_setname_np is not visible to Swift without _GNU_SOURCE); elsewhere, not named.
    fileprivate static func setName(_ name: String) {
        #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #endif
    }

    fileprivate final class Work: Sendable {
        let name: String?
        let work: @Sendable () -> Void
        init(name: String?, _ work: @escaping @Sendable () -> Void) { self.name = name; self.work = work }
    }
}

/// The new thread's start: takes the retained work `Threads.start` passed.
private func threadEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let work = Unmanaged<Threads.Work>.fromOpaque(raw!).takeRetainedValue()
    if let name = work.name { Threads.setName(name) }
    work.work()
    return nil
}

/// A mutual-exclusion lock (what `NSLock` was): `lock()`/`unlock()`, or `withLock`.
public final class Lock: @unchecked Sendable {
    fileprivate let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A lock with a condition to wait for (what `NSCondition` was): `wait()` must be called with the lock held.
public final class Condition: @unchecked Sendable {
    private let lockItself = Lock()
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() { pthread_cond_init(condition, nil) }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    public func lock() { lockItself.lock() }
    public func unlock() { lockItself.unlock() }
    /// Releases the lock until another thread broadcasts (or spuriously: wait in a loop on the awaited state).
    public func wait() { pthread_cond_wait(condition, lockItself.mutex) }
    public func broadcast() { pthread_cond_broadcast(condition) }
}
