import Adapters
import Planner

/// What an apply reaches the world through. A nil piece is not touched: the apply says what the user
/// must do instead (`--no-runtime`, no Caddy admin API, Home Assistant restarts left to the user).
public struct ApplyWorld: Sendable {
    public var files: any FileStore
    public var caddy: (any CaddyActivating)?
    public var compose: (any ComposeEngine)?
    public var homeAssistant: (any HomeAssistantControlling)?
    public var prober: (any HostProbing)?
    public var ledger: any LedgerKeeping
    /// Home Assistant's own trial (storage mode with an access token); nil without a token.
    public var homeAssistantTrial: (any HomeAssistantTrialing)?
    /// Plans again from the observation, for a file that changed before Home Assistant stopped; nil: a
    /// changed file is not planned again, and the apply rolls back.
    public var planAgain: (any PlanningAgain)?
    /// `apply --ha-stopped`: the user stopped Home Assistant, so its `.storage/http` may be written.
    public var homeAssistantStoppedByUser = false

    public init(files: any FileStore, caddy: (any CaddyActivating)?, compose: (any ComposeEngine)?,
                homeAssistant: (any HomeAssistantControlling)?, prober: (any HostProbing)?, ledger: any LedgerKeeping,
                homeAssistantTrial: (any HomeAssistantTrialing)? = nil, planAgain: (any PlanningAgain)? = nil) {
        self.files = files
        self.caddy = caddy
        self.compose = compose
        self.homeAssistant = homeAssistant
        self.prober = prober
        self.ledger = ledger
        self.homeAssistantTrial = homeAssistantTrial
        self.planAgain = planAgain
    }
}

/// Where the ledger of what reconcile added is kept.
public protocol LedgerKeeping: Sendable {
    func save(_ ledger: Ledger) throws(ReconcileError)
}

/// `STATE/ledger.json`.
public struct StateDirLedger: LedgerKeeping {
    public let stateDir: String

    public init(stateDir: String) { self.stateDir = stateDir }

    public func save(_ ledger: Ledger) throws(ReconcileError) { try LedgerStore.save(ledger, stateDir: stateDir) }
}
