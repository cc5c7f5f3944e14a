/// Why a reconcile was asked for.
public enum TriggerReason: String, Sendable, Hashable, CaseIterable {
    case startup, timer, webhook
}

/// The coalescing rule as a value: at most one reconcile runs, and at most one waits. Triggers that
/// arrive while one runs fold into the single waiting one; it starts once the running one has ended
/// and `window` has passed since that one started, so it fetches after the last trigger of a burst and
/// sees the newest commit. A trigger when idle starts at once (a lone push is served without delay);
/// any burst within `window` costs at most two reconciles.
public struct Coalescing: Sendable, Hashable {
    public typealias Instant = ContinuousClock.Instant

    public let window: Duration
    public private(set) var running = false
    /// The reasons folded into the waiting reconcile; nil when none waits.
    public private(set) var waiting: Set<TriggerReason>?
    private var lastStart: Instant?

    public init(window: Duration = .seconds(1)) { self.window = window }

    /// Records a trigger; true when a reconcile should start now (none was running or waiting).
    public mutating func trigger(_ reason: TriggerReason, at now: Instant) -> Bool {
        if running {
            waiting = (waiting ?? []).union([reason])
            return false
        }
        running = true
        lastStart = now
        return true
    }

    /// The running reconcile ended: the waiting one's reasons and how long to wait before it starts
    /// (triggers in the meantime fold into it), or nil when idle now.
    public mutating func finished(at now: Instant) -> (reasons: Set<TriggerReason>, delay: Duration)? {
        precondition(running, "finished() without a running reconcile")
        guard let next = waiting else {
            running = false
            return nil
        }
        let earliest = (lastStart ?? now) + window
        return (next, earliest > now ? earliest - now : .zero)
    }

    /// The waiting reconcile starts now: its reasons, which the triggers during the delay joined.
    public mutating func start(at now: Instant) -> Set<TriggerReason> {
        let reasons = waiting ?? []
        waiting = nil
        lastStart = now
        return reasons
    }

    /// Shutdown: the waiting reconcile is dropped, nothing runs any more.
    public mutating func stop() {
        waiting = nil
        running = false
    }
}
