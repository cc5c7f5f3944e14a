import Adapters
import Notifications

/// The last step of an apply-mode reconcile, after the report is saved and published: derive the events,
/// send them, remember what was sent. It never fails the reconcile: what did not arrive is returned.
public enum NotifyStep {
    public struct Outcome: Sendable {
        public var deliveries: [NotificationDelivery] = []
        /// The memory could not be saved (the next reconcile may send a message again).
        public var memoryError: ReconcileError?
    }

    static func run(_ targets: [NotifyTarget], facts: CycleFacts, author: String?, stateDir: String, now: Int64,
                    sender makeSender: ([NotificationSender.Target]) -> NotificationSender = NotificationSender.init) -> Outcome {
        var outcome = Outcome()
        guard let summary = NotificationMapping.summary(facts, author: author) else { return outcome }
        let remembered = NotificationMemoryStore.load(stateDir: stateDir)
        let evaluation = NotificationRules.evaluate(summary, memory: remembered, now: now)
        let messages = evaluation.events.map(NotificationMessage.init)
        outcome.deliveries = makeSender(targets.map(channel)).send(messages, now: now)
        let memory = NotificationRules.delivered(evaluation.events, reached: { event in
            outcome.deliveries.contains { $0.kind == event.kind && $0.delivered }
        }, memory: evaluation.memory, now: now)
        // Written only when it changed: a quiet timer tick writes nothing.
        guard memory != remembered else { return outcome }
        do { try NotificationMemoryStore.save(memory, stateDir: stateDir) } catch { outcome.memoryError = error }
        return outcome
    }

    static func channel(_ target: NotifyTarget) -> NotificationSender.Target {
        let channel: any NotificationChannel
        switch target.channel {
        case .ntfy(let url, let tokenFile): channel = NtfyChannel(topicURL: url, tokenFile: tokenFile)
        case .webhook(let url, let secretFile): channel = WebhookChannel(url: url, secretFile: secretFile)
        case .apprise(let urlFile): channel = AppriseChannel(urlFile: urlFile)
        }
        return NotificationSender.Target(channel: channel, events: target.events)
    }
}
