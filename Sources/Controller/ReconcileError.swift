import Adapters
import Diagnostics

/// Why a reconcile stopped, classified the way a controller needs it (`FailureReason`): wrong input is
/// reported with its positions and waits for a new commit; a flaky world is retried next cycle.
public enum ReconcileError: Error, Sendable, CustomStringConvertible {
    /// The desired state, a live file, the settings or the policy is wrong: retrying will not help until
    /// someone fixes it. The diagnostics say where.
    case invalidInput(DiagnosticList, reason: FailureReason = .invalidDesiredState)
    /// Something failed, for `reason`; the message says what, for people.
    case failed(FailureReason, String)

    public var reason: FailureReason {
        switch self {
        case .invalidInput(_, let reason): return reason
        case .failed(let reason, _): return reason
        }
    }

    public var isRetryable: Bool { reason.isRetryable }

    public var description: String {
        switch self {
        case .invalidInput(let list, _): return list.description
        case .failed(_, let message): return message
        }
    }
}

extension ReconcileError {
    /// Taking the reconcile lock failed: another run holds it (the next try may pass), or the state dir is
    /// one others may write in (the admin must fix it: the message says how).
    public static func lock(_ error: FileError) -> ReconcileError {
        .failed(error.kind == .unsafeLocation ? .invalidSettings : .lockBusy, error.description)
    }
}
