import Adapters
import DesiredState
import Diagnostics
import Planner

/// Step 2's value: everything one reconcile read from the world, before anything is planned. Plan and
/// apply run on this same value; nothing reads the world again until the apply acts on it.
public struct Observation: Sendable {
    /// Where the desired state came from (the synced checkout and commit).
    public var source: SyncedSource
    /// The desired-state file inside the checkout (`GatewayLayout`).
    public var desiredFile: String
    /// The desired state as the commit declares it, before the gateway's policy had its say.
    public var desired: Observer.DesiredObservation
    /// The live files and the engine's state, as the planner takes them.
    public var inputs: PlanInputs
    /// The engine as read (nil: not asked: `--no-runtime`, `--compose none`).
    public var engine: EngineObservation?
    /// The connection to Caddy the observation found (`inputs.caddy` is its route, with Caddy's version);
    /// nil: not looked for, `none`, or no way answered.
    var caddyConnection: CaddyConnection?
    /// Home Assistant's access token, read from `--ha-token-file` for an apply with a runtime.
    var homeAssistantToken: String?

    /// How messages name the desired-state file.
    public var desiredLabel: String { source.label(of: desiredFile) }
}

/// Why the observation stopped, with what it had learned by then (the status page still shows a refused
/// commit's services).
public struct ObservationStopped: Error, Sendable {
    public var error: ReconcileError
    public var desiredFile: String
    public var desired: DesiredState?
}

extension Observation {
    /// `exposure.yaml:6:3`: where the desired state declares the service `name`.
    public func declaration(_ name: String) -> String? { desired.desired.declaration(of: name, file: desiredFile) }
}

extension DesiredState {
    /// `exposure.yaml:6:3`: where `file` (this state, as the repo names it) declares the service `name`, or the
    /// service exposing the compose service `name`.
    func declaration(of name: String, file: String) -> String? {
        (services.first { $0.name == name } ?? services.first { $0.composeService == name })
            .map { "\(file):\($0.position.line):\($0.position.column)" }
    }
}
