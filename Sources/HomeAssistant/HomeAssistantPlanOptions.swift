/// Choices the user makes for a plan, beyond the desired state.
public struct HomeAssistantPlanOptions: Sendable, Hashable {
    /// Repair lost masks (core#182040) in the user's own `data.stable` entries too, not only in reconcile's.
    /// Off by default: those entries are the user's, and the plan then only says what to do.
    public var repairUserMasks: Bool
    /// An access token is set: storage mode changes go through Home Assistant's own trial
    /// (configure → probe → promote) rather than stop → write → start.
    public var ownTrial: Bool

    public init(repairUserMasks: Bool = false, ownTrial: Bool = false) {
        self.repairUserMasks = repairUserMasks
        self.ownTrial = ownTrial
    }
}
