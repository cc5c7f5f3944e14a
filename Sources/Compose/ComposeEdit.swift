/// What `ComposePlanner.plan` decided for one compose file: the new bytes (or none), and what they mean.
public struct ComposeEdit: Sendable {
    /// The edited file, or nil when the file already says what the desired state wants.
    public let newBytes: [UInt8]?
    /// Every `depends_on` entry added or removed, in file order.
    public let changes: [ComposeDependencyChange]
    /// Services whose definition changed (sorted). Compose v1 puts `depends_on` in the config hash, so
    /// `up -d` recreates these containers; Compose v2 leaves `depends_on` out of its hash. With a runtime,
    /// `ComposeRuntimeState.servicesToBringUp` gives the exact answer from the hashes Compose computes.
    public let recreates: [String]
    /// The ledger to persist once `newBytes` is written (unchanged input ledger when nothing changed).
    public let ledger: ComposeLedger
    /// Without a runtime (`apply --no-runtime`): what an apply would bring up, i.e. the proxy (started if
    /// it is not running) when anything is exposed, then every service in `recreates`.
    public let wouldBringUp: [String]
    /// Without the adoption opt-in: proxy entries the user wrote for exposed services, which the
    /// opt-in would adopt (`.adopted` changes). They stay the user's and are never pruned.
    public var adoptable: [ComposeDependencyChange] = []

    public init(newBytes: [UInt8]?, changes: [ComposeDependencyChange], recreates: [String], ledger: ComposeLedger, wouldBringUp: [String]) {
        self.newBytes = newBytes
        self.changes = changes
        self.recreates = recreates
        self.ledger = ledger
        self.wouldBringUp = wouldBringUp
    }
}
