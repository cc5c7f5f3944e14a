import Adapters
import Planner

/// What one reconcile works on: the exposure repo and the gateway's live paths.
public struct ReconcileSettings: Sendable {
    /// A local checkout (or plain folder) of the exposure repo. For a remote, the working clone in the state dir.
    public var repo: String
    public var paths: GatewayPaths
    /// This gateway's name: its file under `gateways/` and its folder on the status branch.
    public var gateway: String
    /// The exposure repo as a git remote (`--repo URL`); nil when `--repo` is a local folder.
    public var remote: RemoteSource?
    /// Where status reports are committed; never the branch reconciles follow.
    public var statusBranch: String
    /// The gateway's policy file (`--policy`, `policy:`); nil checks no policy.
    public var policy: PolicySource?
    /// Verify the desired commit's signature before using it (`--allowed-signers`, `--gpg-keyring`); nil: no check.
    public var signatures: SignaturePolicy?
    /// `serve.webhook_host`: the route to the daemon's webhook that no plan may cut (see `WebhookRouteGuard`).
    public var webhookRoute: WebhookRoute?
    /// `--ha-repair-lost-masks`: repair the user's lost-mask entries in `.storage/http` too, not only ours.
    public var homeAssistantRepairsLostMasks = false
    /// `--ha-token-file`: storage mode goes through Home Assistant's own trial (`HomeAssistantTrial`).
    public var homeAssistantTokenFile: String?
    /// The opt-in to adoption (`--adopt`, or `adopt: true` in the settings file): reconcile takes
    /// over a hand-written site block that qualifies, a `depends_on` on the proxy and the `http:`
    /// trust settings the user wrote, instead of refusing or leaving them alone (`PlanInputs.adopt`).
    public var adopt = false
    /// `notify:` of the settings file: where messages about this gateway go (see `NotifyStep`).
    public var notify: [NotifyTarget] = []

    public init(repo: String, paths: GatewayPaths,
                gateway: String = "gateway", remote: RemoteSource? = nil, statusBranch: String = StatusBranch.defaultName) {
        self.repo = repo
        self.paths = paths
        self.gateway = gateway
        self.remote = remote
        self.statusBranch = statusBranch
    }
}

public enum StatusBranch {
    public static let defaultName = "reconcile-status"
}
