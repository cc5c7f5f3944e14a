import Foundation

/// Runs `body` on a thread of its own and waits up to `seconds` for it. Nil when it did not finish: then
/// `fifo` (the named pipe it may be stuck opening) is opened for writing once, so the stuck thread ends
/// instead of hanging the suite. For tests of code that must never block on a pipe.
public func finishing<Value>(within seconds: Double, unblocking fifo: String, _ body: @escaping @Sendable () -> Value) -> Value? {
    let slot = DeadlineSlot<Value>()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        let value = body()
        slot.lock.withLock { slot.value = value }
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .timedOut else { return slot.lock.withLock { slot.value } }
    let writer = open(fifo, O_WRONLY | O_NONBLOCK)
    if writer >= 0 { close(writer) }
    _ = done.wait(timeout: .now() + 5)
    return nil
}

/// What the thread of `finishing` hands back.
private final class DeadlineSlot<Value>: @unchecked Sendable {
    let lock = NSLock()
    var value: Value?
}
