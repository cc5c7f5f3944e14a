import Controller
import EssentialsExtras
import FoundationEssentials
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
        var object: [String: JSONValue] = ["status": "ok", "reconciling": .bool(running),
                                           "started_at": .string(Self.timestamp(started))]
        if let record = lastRecord {
            var last: [String: JSONValue] = [
                "result": .string(record.outcome.rawValue),
                "finished_at": .string(Self.timestamp(record.started.addingTimeInterval(record.duration.seconds))),
                "duration_seconds": .number((record.duration.seconds * 1000).rounded() / 1000),
                "triggers": .array(record.reasons.map(\.rawValue).sorted().map(JSONValue.string)),
            ]
            if let commit = record.appliedCommit { last["applied_commit"] = .string(commit) }
            if let failure = record.failure {
                last["reason"] = .string(failure.rawValue)
                last["retryable"] = .bool(failure.isRetryable)
            }
            object["last_reconcile"] = .object(last)
        } else {
            object["last_reconcile"] = .null
        }
        return JSONValue.object(object).encoded(sortedKeys: true) + [UInt8(ascii: "\n")]
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
