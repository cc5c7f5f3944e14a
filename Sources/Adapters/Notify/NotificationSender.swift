import Dispatch
import EssentialsExtras
import FoundationEssentials
import Notifications

/// What became of one message for one target.
public struct NotificationDelivery: Sendable, Hashable {
    public var kind: NotificationKind
    /// The channel's metric label (`ntfy`, `webhook`, `apprise`) and its safe name.
    public var channel: String
    public var target: String
    public var attempts: Int
    /// nil: it arrived.
    public var error: NotifyError?

    public var delivered: Bool { error == nil }
}

/// Sends messages to targets, each target on a thread of its own, every attempt inside one budget: however
/// many targets are dead (refusing, answering 500, never answering), a reconcile waits at most `budget`
/// seconds for its messages (plus the half second curl is given to stop). A failure is returned, never thrown.
public struct NotificationSender: Sendable {
    public struct Target: Sendable {
        public var channel: any NotificationChannel
        /// nil: every kind.
        public var events: Set<NotificationKind>?

        public init(channel: any NotificationChannel, events: Set<NotificationKind>?) {
            self.channel = channel
            self.events = events
        }
    }

    public var targets: [Target]
    /// Attempts per message and target (the first one included), while the budget lasts.
    public var attempts = 3
    /// Seconds before the second attempt; doubled before each next one.
    public var backoff = 0.5
    /// Seconds for all the messages of one reconcile, every target at once.
    public var budget = 15.0

    public init(targets: [Target]) {
        self.targets = targets
    }

    public func send(_ messages: [NotificationMessage], now: Int64) -> [NotificationDelivery] {
        let deadline = ContinuousClock.now + .milliseconds(Int(budget * 1000))
        let results = Results()
        let group = DispatchGroup()
        for (index, target) in targets.enumerated() {
            let wanted = messages.filter { target.events?.contains($0.kind) ?? true }
            guard !wanted.isEmpty else { continue }
            group.enter()
            Threads.start(name: "reconcile-notify") {
                let deliveries = wanted.map { deliver($0, to: target.channel, now: now, deadline: deadline) }
                results.set(index, deliveries)
                group.leave()
            }
        }
        group.wait()
        return results.inOrder()
    }

    /// Each target's deliveries, written by its thread.
    final class Results: @unchecked Sendable {
        private let lock = Lock()
        private var byTarget: [Int: [NotificationDelivery]] = [:]

        func set(_ index: Int, _ deliveries: [NotificationDelivery]) { lock.withLock { byTarget[index] = deliveries } }
        func inOrder() -> [NotificationDelivery] { lock.withLock { byTarget.keys.sorted().flatMap { byTarget[$0] ?? [] } } }
    }

    func deliver(_ message: NotificationMessage, to channel: any NotificationChannel, now: Int64,
                 deadline: ContinuousClock.Instant) -> NotificationDelivery {
        var delivery = NotificationDelivery(kind: message.kind, channel: channel.label, target: channel.name, attempts: 0)
        var pause = backoff
        while delivery.attempts < attempts {
            let left = Self.seconds(deadline - ContinuousClock.now)
            guard left >= 0.2 else {
                if delivery.error == nil { delivery.error = NotifyError(target: channel.name, reason: "no time left in the notification budget", retryable: true) }
                break
            }
            delivery.attempts += 1
            do {
                try channel.send(message, now: now, timeout: min(channel.attemptTimeout, left))
                delivery.error = nil
                return delivery
            } catch {
                delivery.error = error
                guard error.retryable, delivery.attempts < attempts, Self.seconds(deadline - ContinuousClock.now) > pause + 0.2 else { break }
                Threads.sleep(seconds: pause)
                pause *= 2
            }
        }
        return delivery
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
