import DesiredState

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
    public var homeAssistantConfigDir: String
    public var composeFile: LiveFile

    public init(desired: DesiredState, summary: DesiredSummary, caddyfile: LiveFile,
                homeAssistantConfigDir: String, composeFile: LiveFile) {
        self.desired = desired
        self.summary = summary
        self.caddyfile = caddyfile
        self.homeAssistantConfigDir = homeAssistantConfigDir
        self.composeFile = composeFile
    }
}
