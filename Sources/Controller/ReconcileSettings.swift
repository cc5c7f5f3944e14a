import Adapters

/// What one reconcile works on: the exposure repo and the gateway's live paths.
public struct ReconcileSettings: Sendable {
    /// A local checkout (or plain folder) of the exposure repo.
    public var repo: String
    /// The desired-state file inside the repo.
    public var desiredFile: String
    public var paths: GatewayPaths

    public init(repo: String, desiredFile: String = "exposure.yaml", paths: GatewayPaths) {
        self.repo = repo
        self.desiredFile = desiredFile
        self.paths = paths
    }

    /// The desired-state file as shown in messages: `repo/exposure.yaml`.
    public var desiredPath: String {
        (repo.hasSuffix("/") ? repo : repo + "/") + desiredFile
    }
}
