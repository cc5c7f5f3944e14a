import Certificates
import Caddyfile
import Compose
import DesiredState
import HomeAssistant

/// A live file as observed: its path and bytes, or nil bytes when it does not exist.
public struct LiveFile: Sendable, Hashable {
    public var path: String
    public var bytes: [UInt8]?

    public init(path: String, bytes: [UInt8]?) {
        self.path = path
        self.bytes = bytes
    }
}

/// Everything `plan` needs, already read from the world: planning itself touches nothing.
public struct PlanInputs: Sendable {
    public var desired: DesiredState
    public var summary: DesiredSummary
    public var caddyfile: LiveFile
    /// `caddyfile` already parsed by the observer; nil: the planner parses it.
    public var parsedCaddyfile: ParsedCaddyfile?
    public var homeAssistant: HomeAssistantInput
    public var composeFile: LiveFile
    /// The engine's view of the compose project; nil when it was not observed (`--no-runtime`).
    public var composeRuntime: ComposeRuntimeState?
    /// Why the runtime was not observed, when it could not be (engine down, no Compose): a plan warning.
    public var composeRuntimeProblem: String?
    public var ledger: Ledger
    /// The compose service of the reverse proxy.
    public var proxyService: String
    /// How Caddy is reached, and its version, when looked for before planning (apply): carried into the plan.
    public var caddy: CaddyRoute?
    /// The daemon's webhook as routed through Caddy: a plan that would cut it is refused (`WebhookRouteGuard`).
    public var webhookRoute: WebhookRoute?
    /// The user's choices for Home Assistant's settings (`--ha-repair-lost-masks`).
    public var homeAssistantOptions = HomeAssistantPlanOptions()
    /// The Caddy that serves (from `caddy version` in its container, or the admin API); nil when
    /// unknown: the managed blocks are then written in `CaddySyntax.portable`.
    public var caddyVersion: CaddyVersion?
    /// The user's opt-in (`--adopt`, or `adopt: true` in the settings file) to let reconcile take
    /// over what a gateway set up by hand already has: a qualifying hand-written site block, a
    /// `depends_on` on the proxy, the `http:` trust settings. Off: those are refused or left alone.
    public var adopt = false
    /// Each desired host's certificate as Caddy's storage holds it (nil: not read).
    public var certificates: CertificateReport?

    public init(desired: DesiredState, summary: DesiredSummary, caddyfile: LiveFile, homeAssistant: HomeAssistantInput,
                composeFile: LiveFile, composeRuntime: ComposeRuntimeState? = nil, composeRuntimeProblem: String? = nil,
                ledger: Ledger = .empty, proxyService: String = ComposePlanner.defaultProxyService) {
        self.desired = desired
        self.summary = summary
        self.caddyfile = caddyfile
        self.homeAssistant = homeAssistant
        self.composeFile = composeFile
        self.composeRuntime = composeRuntime
        self.composeRuntimeProblem = composeRuntimeProblem
        self.ledger = ledger
        self.proxyService = proxyService
    }
}
