import EssentialsExtras

/// A value worked out on a thread of its own while the caller goes on; `value` waits for it.
/// A thread rather than a dispatch queue: the caller may itself be the only worker a small machine's pool
/// has, and a queued item could then wait for the very thread that waits for it.
public final class Concurrent<Value: Sendable>: @unchecked Sendable {
    private let done = Condition()
    // Written once by the worker under `done`, read under it.
    private var result: Value?

    public init(_ work: @escaping @Sendable () -> Value) {
        Threads.start { [self] in
            let value = work()
            done.lock()
            result = value
            done.broadcast()
            done.unlock()
        }
    }

    public var value: Value {
        done.lock()
        defer { done.unlock() }
        while result == nil { done.wait() }
        return result!
    }
}
