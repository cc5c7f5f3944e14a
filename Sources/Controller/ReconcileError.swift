import Diagnostics

/// Why a reconcile stopped, classified the way a controller needs it:
/// wrong input is reported and waits for a new commit; a flaky world is retried next cycle.
public enum ReconcileError: Error, Sendable, CustomStringConvertible {
    /// The desired state or a live file is wrong: retrying will not help until someone fixes it.
    case invalidInput(DiagnosticList)
    /// Something outside us failed (disk, git remote, engine): the next cycle may succeed.
    case world(String)

    public var isRetryable: Bool {
        if case .world = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .invalidInput(let list): return list.description
        case .world(let message): return message
        }
    }
}
