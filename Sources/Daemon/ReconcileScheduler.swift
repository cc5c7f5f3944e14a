import FoundationEssentials

/// Drives `Coalescing`: starts a reconcile when a trigger asks for one, runs the waiting one after it,
/// and on shutdown lets the running one finish (a reconcile is never cut mid-write) and drops the waiting one.
public actor ReconcileScheduler {
    public typealias Runner = @Sendable (Set<TriggerReason>) async -> CycleRecord

    private var state: Coalescing
    private let runner: Runner
    private let onRecord: @Sendable (CycleRecord) async -> Void
    private let clock = ContinuousClock()
    private var stopping = false
    /// A reconcile runs or waits: the loop below is alive.
    private var active = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Reconciles started so far.
    public private(set) var runs = 0
    /// True while a reconcile runs (not while one only waits).
    public private(set) var isRunning = false

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
        if let delay = state.trigger(reason, at: clock.now) {
            active = true
            Task { await self.loop(after: delay) }
        }
        return true
    }

    /// Refuses new triggers and returns once no reconcile runs (the one running, and only it, finishes).
    public func drain() async {
        stopping = true
        await untilIdle()
    }

    /// Returns when no reconcile runs or waits.
    public func untilIdle() async {
        guard active else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func loop(after firstDelay: Duration) async {
        var delay: Duration? = firstDelay
        while let wait = delay {
            // Triggers during the wait fold into this reconcile; on shutdown it is dropped.
            if wait > .zero { try? await Task.sleep(for: wait) }
            guard !stopping else { break }
            let reasons = state.start(at: clock.now)
            runs += 1
            isRunning = true
            let record = await runner(reasons)
            isRunning = false
            await onRecord(record)
            delay = stopping ? nil : state.finished(at: clock.now)
        }
        state.stop()
        active = false
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
