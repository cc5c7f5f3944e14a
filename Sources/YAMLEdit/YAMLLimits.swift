/// Bounds on what a YAML input from outside may cost us. Each is a named, documented setting.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of mappings and sequences.
    public var maxDepth: Int
    /// Most aliases (`*name`) in one file; we never expand them, but a file full of them is hostile.
    public var maxAliases: Int

    public init(maxBytes: Int = 8 << 20, maxDepth: Int = 128, maxAliases: Int = 1_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
    }

    public static let `default` = YAMLLimits()
}
