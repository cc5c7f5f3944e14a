import Foundation

/// Drives `Coalescing`: starts a reconcile on a trigger when none runs, runs the waiting one after it,
/// and on shutdown lets the running one finish (a reconcile is never cut mid-write) and drops the waiting one.
public actor ReconcileScheduler {
    public typealias Runner = @Sendable (Set<TriggerReason>) async -> CycleRecord

    private var state: Coalescing
    private let runner: Runner
    private let onRecord: @Sendable (CycleRecord) async -> Void
    private let clock = ContinuousClock()
    private var stopping = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Reconciles started so far.
    public private(set) var runs = 0
    public private(set) var running = false

    public init(window: Duration = .seconds(1), runner: @escaping Runner,
                onRecord: @escaping @Sendable (CycleRecord) async -> Void = { _ in }) {
        state = Coalescing(window: window)
        self.runner = runner
        self.onRecord = onRecord
    }

    /// Asks for a reconcile; false once shutting down (the trigger is dropped).
    @discardableResult
    public func trigger(_ reason: TriggerReason) -> Bool {
        guard !stopping else { return false }
        if state.trigger(reason, at: clock.now) {
            Task { await self.loop(first: [reason]) }
        }
        return true
    }

    /// True while a reconcile runs (not while one only waits).
    public var isRunning: Bool { running }

    /// Refuses new triggers and returns once no reconcile runs (the one running, and only it, finishes).
    public func drain() async {
        stopping = true
        await untilIdle()
    }

    /// Returns when no reconcile runs or waits.
    public func untilIdle() async {
        guard state.running else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func loop(first: Set<TriggerReason>) async {
        var reasons = first
        while true {
            runs += 1
            running = true
            let record = await runner(reasons)
            running = false
            await onRecord(record)
            guard !stopping, let next = state.finished(at: clock.now) else { break }
            if next.delay > .zero { try? await Task.sleep(for: next.delay) }
            guard !stopping else { break }
            reasons = state.start(at: clock.now)
        }
        state.stop()
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
