/// Why a reconcile stopped, in the spirit of Flux's condition reasons: a stable word a machine can act
/// on (status JSON, /healthz, metric labels, exit codes), and whether waiting helps.
/// Terminal: the input, the settings or the policy is wrong: retrying the same commit fails the same way,
/// so wait for a new commit or a fixed setting. Retryable: the world was flaky; the next tick tries again.
public enum FailureReason: String, Sendable, Codable, Hashable, CaseIterable {
    // Terminal.
    case invalidDesiredState = "invalid_desired_state"
    case invalidSettings = "invalid_settings"
    /// A live file reconcile cannot edit safely (a Caddyfile Caddy would not parse, a refused symlink, a bad ledger).
    case invalidLiveFile = "invalid_live_file"
    case refusedByPolicy = "refused_by_policy"
    case refusedSignature = "refused_signature"
    /// The followed branch was force-pushed past the applied commit.
    case historyRewritten = "history_rewritten"
    case caddyRejected = "caddy_rejected"
    case composeRejected = "compose_rejected"
    /// The project's containers were created by the other Compose major than the one that would run: it would
    /// recreate and rename them. Install that client, or name one with `--compose`.
    case composeMajorMismatch = "compose_major_mismatch"
    /// Putting the old state back failed too: a person must act.
    case rollbackFailed = "rollback_failed"
    // Retryable.
    case unreadableLiveFile = "unreadable_live_file"
    case writeFailed = "write_failed"
    /// A live file was edited while the apply ran (after the plan read it): left as edited, the apply rolled back.
    case changedDuringApply = "changed_during_apply"
    case stateDirFailed = "state_dir_failed"
    case lockBusy = "lock_busy"
    case gitUnreachable = "git_unreachable"
    /// The remote accepted the connection but stopped answering within `--git-timeout`.
    case gitTimeout = "git_timeout"
    case signatureCheckFailed = "signature_check_failed"
    case caddyUnreachable = "caddy_unreachable"
    case engineUnreachable = "engine_unreachable"
    case composeFailed = "compose_failed"
    case homeAssistantNotReady = "home_assistant_not_ready"
    case probeFailed = "probe_failed"
    /// An apply was rolled back for a cause not classified above.
    case rolledBack = "rolled_back"
    case statusNotPublished = "status_not_published"

    public var isRetryable: Bool {
        switch self {
        case .invalidDesiredState, .invalidSettings, .invalidLiveFile, .refusedByPolicy, .refusedSignature, .historyRewritten,
             .caddyRejected, .composeRejected, .composeMajorMismatch, .rollbackFailed:
            return false
        default:
            return true
        }
    }
}
