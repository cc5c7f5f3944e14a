import Adapters
import Diagnostics
import Planner

/// Why one step of an apply failed, with the adapter's own typed error kept as it came.
public enum ApplyFailure: Error, Sendable, CustomStringConvertible {
    case notWritable(Diagnostic)
    case caddy(CaddyError)
    case compose(ComposeRuntimeError)
    case homeAssistant(HomeAssistantControlError)
    case file(FileError)
    case ledger(ReconcileError)
    /// A host did not answer as it should after activation.
    case probe(ProbeResult)
    /// The file changed between the plan and Home Assistant's stop, and planning it again was refused
    /// (it no longer parses, or the new plan would change other files too): nothing of it was written.
    case changedBeforeStop(path: String, why: ReconcileError)
    /// Home Assistant's own trial: configure or promote failed (never holds the access token).
    case homeAssistantTrial(HomeAssistantWebSocketError)
    /// `.storage/http` is written only while Home Assistant is stopped, and nobody can stop it here.
    case cannotStopHomeAssistant(path: String)
    /// The plan goes through Home Assistant's own trial, and this apply cannot reach Home Assistant.
    case cannotRunHomeAssistantTrial(path: String)

    public var description: String {
        switch self {
        case .notWritable(let diagnostic): return diagnostic.description
        case .caddy(let error): return error.description
        case .compose(let error): return error.description
        case .homeAssistant(let error): return error.description
        case .file(let error): return error.description
        case .ledger(let error): return error.description
        case .probe(let result): return "probe of \(result.host) failed after \(result.attempts) attempt(s): \(result.detail)"
        case .changedBeforeStop(let path, let why):
            return "\(path) changed after the plan was made (Home Assistant saved it before it stopped), and planning again from it was refused: \(why.description); nothing was written to it and Home Assistant is started again"
        case .homeAssistantTrial(let error): return "Home Assistant's own trial: \(error.description)"
        case .cannotStopHomeAssistant, .cannotRunHomeAssistantTrial: return settingsDiagnostic!.description
        }
    }

    /// The refusals that the settings must lift, with their position and the way out.
    var settingsDiagnostic: Diagnostic? {
        switch self {
        case .cannotStopHomeAssistant(let path):
            return Diagnostic(file: path, position: nil,
                              message: "reconcile writes this file only while Home Assistant is stopped (a running Home Assistant overwrites it from memory), and this apply cannot stop it (--no-runtime or --ha-restart none); nothing was changed",
                              hint: "let reconcile stop and start Home Assistant (--ha-restart compose, or ha_commands in the settings file), or stop it yourself, run apply again with --ha-stopped, then start it")
        case .cannotRunHomeAssistantTrial(let path):
            return Diagnostic(file: path, position: nil,
                              message: "this plan goes through Home Assistant's own trial (an access token is set), and this apply cannot reach Home Assistant (--no-runtime); nothing was changed",
                              hint: "run apply with a runtime, or without --ha-token-file to stop, write and start Home Assistant instead")
        default: return nil
        }
    }

    /// As the controller reports it, with its reason.
    public var reconcileError: ReconcileError {
        switch self {
        case .notWritable(let diagnostic): return .invalidInput(DiagnosticList([diagnostic]), reason: .invalidLiveFile)
        case .caddy(.rejected):
            return .invalidInput(DiagnosticList([Diagnostic(file: "Caddyfile", position: nil, message: description)]), reason: .caddyRejected)
        case .caddy(.unreachable): return .failed(.caddyUnreachable, description)
        case .compose(let error):
            switch error.kind {
            case .fileRejected:
                return .invalidInput(DiagnosticList([Diagnostic(file: error.context ?? "compose file", position: nil, message: description)]),
                                     reason: .composeRejected)
            case .engineDown: return .failed(.engineUnreachable, description)
            default: return .failed(.composeFailed, description)
            }
        case .homeAssistant(let error):
            return .failed(error.isRetryable ? .homeAssistantNotReady : .invalidSettings, description)
        case .file(let error):
            switch error.kind {
            case .changedSinceRead: return .failed(.changedDuringApply, description)
            case .unsafeLocation: return .failed(.invalidSettings, description)
            default: return .failed(.writeFailed, description)
            }
        case .ledger(let error): return error
        case .probe: return .failed(.probeFailed, description)
        case .changedBeforeStop(_, let why): return .failed(why.reason, description)
        // A refused token waits for the user; anything else may pass on the next cycle.
        case .homeAssistantTrial(let error): return .failed(error.code == "auth_invalid" ? .invalidSettings : .homeAssistantNotReady, description)
        case .cannotStopHomeAssistant, .cannotRunHomeAssistantTrial: return .invalidInput(DiagnosticList([settingsDiagnostic!]), reason: .invalidSettings)
        }
    }
}
