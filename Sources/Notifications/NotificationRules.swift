/// From the memory and one reconcile's summary to the events worth a message, and the memory after it.
/// Pure: the caller sends the events, then tells the memory what reached a target (`delivered`).
///
/// - A failure is sent once; the same failure again sends nothing, then a reminder once a day
///   (`reminderInterval`); a different failure (another reason, commit or step) is news.
/// - A failure no target received is tried again on the next reconciles, at most `maxUndelivered` in all.
/// - A retryable stop before any apply (the remote or the engine unreachable) is sent only when the next
///   reconcile fails the same way too: a blip the next tick heals sends nothing.
/// - The first success after a failure that was sent sends the recovery.
/// - A host is news when the plan makes it public, or when it was restricted (lan, networks, logins)
///   after the previous apply and is less so now.
public enum NotificationRules {
    public static let reminderInterval: Int64 = 24 * 3600
    public static let maxUndelivered = 3

    public struct Evaluation: Sendable, Hashable {
        public var events: [NotificationEvent]
        public var memory: NotificationMemory
    }

    public static func evaluate(_ summary: CycleSummary, memory previous: NotificationMemory, now: Int64) -> Evaluation {
        var memory = previous
        var events: [NotificationEvent] = []
        func event(_ detail: NotificationEvent.Detail) -> NotificationEvent {
            NotificationEvent(gateway: summary.gateway, commit: summary.commit, desiredFile: summary.desiredFile, detail: detail)
        }
        switch summary.outcome {
        case .succeeded(let hosts, let becamePublic):
            if let failing = previous.failing, failing.lastSent != nil {
                events.append(event(.recovered(after: failing.kind, reason: failing.reason, since: failing.since)))
            }
            memory.failing = nil
            let widenings = widened(hosts, becamePublic: becamePublic, before: previous.hosts)
            if !widenings.isEmpty { events.append(event(.exposureWidened(widenings))) }
            memory.hosts = Dictionary(hosts.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        case .refused(let facts):
            failure(event(.commitRefused(facts)), fingerprint: [summary.commit?.id ?? "", facts.reason], reason: facts.reason)
        case .applyFailed(let facts):
            failure(event(.applyFailed(facts)), fingerprint: [summary.commit?.id ?? "", facts.failure.reason, facts.step ?? "", String(facts.rollbackFailed)],
                    reason: facts.failure.reason)
        case .failed(let facts):
            failure(event(.reconcileFailed(facts)), fingerprint: [summary.commit?.id ?? "", facts.reason], reason: facts.reason,
                    after: facts.retryable ? 2 : 1)
        }
        for alert in summary.certificates where now - (previous.certificates[alert.key] ?? Int64.min / 2) >= reminderInterval {
            events.append(event(.certificate(alert)))
            memory.certificates[alert.key] = now
        }

        /// `after`: how many reconciles in a row must fail this way before it is news.
        func failure(_ candidate: NotificationEvent, fingerprint parts: [String], reason: String, after: Int = 1) {
            let fingerprint = ([candidate.kind.rawValue] + parts).joined(separator: "\u{1f}")
            var current: NotificationMemory.Failing
            if var same = previous.failing, same.fingerprint == fingerprint {
                same.seen = min(same.seen + 1, after)  // stays put while it lasts: the memory is not rewritten each tick
                current = same
            } else {
                current = .init(fingerprint: fingerprint, kind: candidate.kind, reason: reason, since: now, lastSent: nil, undelivered: 0)
            }
            guard current.seen >= after else { memory.failing = current; return }
            var message = candidate
            message.since = current.since
            if let sent = current.lastSent {
                guard now - sent >= reminderInterval else { memory.failing = current; return }
                message.reminder = true
                events.append(message)
            } else if current.undelivered < maxUndelivered {
                events.append(message)
                current.undelivered += 1
            }
            memory.failing = current
        }
        return Evaluation(events: events, memory: memory)
    }

    /// Hosts whose access widened since the previous apply, or that the plan makes public.
    static func widened(_ hosts: [HostAccess], becamePublic: Set<String>,
                        before: [String: HostAccess]?) -> [Widening] {
        hosts.compactMap { host in
            let was = before?[host.host]
            if let was {
                let opened = was.access != "public" && host.access == "public"
                let loginsDropped = host.access == "public" && host.logins < was.logins
                return opened || loginsDropped ? Widening(now: host, was: was) : nil
            }
            return becamePublic.contains(host.host) && host.access == "public" ? Widening(now: host, was: nil) : nil
        }
    }

    /// After sending: a failure that reached at least one target is not sent again before its reminder.
    public static func delivered(_ events: [NotificationEvent], reached: (NotificationEvent) -> Bool,
                                 memory: NotificationMemory, now: Int64) -> NotificationMemory {
        var memory = memory
        guard var failing = memory.failing else { return memory }
        if events.contains(where: { $0.kind == failing.kind && reached($0) }) {
            failing.lastSent = now
            failing.undelivered = 0
        }
        memory.failing = failing
        return memory
    }
}
