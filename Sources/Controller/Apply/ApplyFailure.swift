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

    public var description: String {
        switch self {
        case .notWritable(let diagnostic): return diagnostic.description
        case .caddy(let error): return error.description
        case .compose(let error): return error.description
        case .homeAssistant(let error): return error.description
        case .file(let error): return error.description
        case .ledger(let error): return error.description
        case .probe(let result): return "probe of \(result.host) failed after \(result.attempts) attempt(s): \(result.detail)"
        }
    }

    /// As the controller reports it.
    public var reconcileError: ReconcileError {
        switch self {
        case .notWritable(let diagnostic): return .invalidInput(DiagnosticList([diagnostic]))
        case .caddy(.rejected): return .invalidInput(DiagnosticList([Diagnostic(file: "Caddyfile", position: nil, message: description)]))
        case .compose(let error) where error.kind == .fileRejected:
            return .invalidInput(DiagnosticList([Diagnostic(file: error.context ?? "compose file", position: nil, message: description)]))
        case .ledger(let error): return error
        default: return .world(description)
        }
    }
}
