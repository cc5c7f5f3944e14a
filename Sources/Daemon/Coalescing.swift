import StatusPage

/// Why a reconcile was asked for.
public enum TriggerReason: String, Sendable, Hashable, CaseIterable {
    case startup, timer, webhook
}

extension HistoryEntry.Trigger {
    /// What the status page's history calls a reconcile asked for by `reasons` (the triggers folded into it):
    /// the name `/healthz` gives it. A webhook wins: it is why the commit was fetched.
    public init(_ reasons: Set<TriggerReason>) {
        let reason: TriggerReason = reasons.contains(.webhook) ? .webhook : reasons.contains(.startup) ? .startup : .timer
        switch reason {
        case .startup: self = .startup
        case .timer: self = .timer
        case .webhook: self = .webhook
        }
    }
}

/// The coalescing rule as a value: at most one reconcile runs and at most one waits, and reconciles start
/// at least `window` apart. A trigger when none ran within the window starts at once (a lone push is served
/// without delay); any other trigger folds into the single waiting reconcile, which starts once the running
/// one has ended and the window since the last start has passed, so it fetches after the last trigger of a
/// burst and sees the newest commit. Ten pushes within a window cost at most two reconciles.
public struct Coalescing: Sendable, Hashable {
    public typealias Instant = ContinuousClock.Instant

    public let window: Duration
    public private(set) var running = false
    /// The reasons folded into the waiting reconcile; nil when none waits.
    public private(set) var waiting: Set<TriggerReason>?
    private var lastStart: Instant?

    public init(window: Duration = .seconds(1)) { self.window = window }

    /// Records a trigger: nil when it folded into a reconcile already running or waiting; else a new one waits,
    /// to be started (`start`) after the returned delay (zero: now).
    public mutating func trigger(_ reason: TriggerReason, at now: Instant) -> Duration? {
        if running || waiting != nil {
            waiting = (waiting ?? []).union([reason])
            return nil
        }
        waiting = [reason]
        return delay(at: now)
    }

    /// The waiting reconcile starts: its reasons, with every trigger folded in until now.
    public mutating func start(at now: Instant) -> Set<TriggerReason> {
        let reasons = waiting ?? []
        waiting = nil
        running = true
        lastStart = now
        return reasons
    }

    /// The running reconcile ended: nil when none waits (idle now), else the delay before `start`.
    public mutating func finished(at now: Instant) -> Duration? {
        running = false
        return waiting == nil ? nil : delay(at: now)
    }

    /// Shutdown: the waiting reconcile is dropped.
    public mutating func stop() {
        waiting = nil
        running = false
    }

    private func delay(at now: Instant) -> Duration {
        guard let lastStart else { return .zero }
        let earliest = lastStart + window
        return earliest > now ? earliest - now : .zero
    }
}
