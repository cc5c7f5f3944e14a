import Foundation
import Synchronization

/// What /healthz says: the daemon is alive, and how the last reconcile went. Only the outcome, times and
/// commit are served; the detail (paths, messages) goes to the log, never over HTTP.
public final class HealthState: Sendable {
    private let last = Mutex<CycleRecord?>(nil)
    private let started = Date()

    public init() {}

    public func record(_ record: CycleRecord) { last.withLock { $0 = record } }

    public var lastRecord: CycleRecord? { last.withLock { $0 } }

    public func json(running: Bool) -> [UInt8] {
        var object: [String: Any] = ["status": "ok", "reconciling": running,
                                     "started_at": Self.timestamp(started)]
        if let record = lastRecord {
            var last: [String: Any] = [
                "result": record.outcome.rawValue,
                "finished_at": Self.timestamp(record.started.addingTimeInterval(record.duration.seconds)),
                "duration_seconds": (record.duration.seconds * 1000).rounded() / 1000,
                "triggers": record.reasons.map(\.rawValue).sorted(),
            ]
            if let commit = record.appliedCommit { last["applied_commit"] = commit }
            if let failure = record.failure {
                last["reason"] = failure.rawValue
                last["retryable"] = failure.isRetryable
            }
            object["last_reconcile"] = last
        } else {
            object["last_reconcile"] = NSNull()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
