/// Bounds on a desired-state file from the repo (which anyone with push access controls).
public struct DesiredStateLimits: Sendable, Hashable {
    /// Largest exposure file accepted, in bytes.
    public var maxFileBytes: Int
    /// Most services one gateway may expose.
    public var maxServices: Int

    public init(maxFileBytes: Int = 4 << 20, maxServices: Int = 5_000) {
        self.maxFileBytes = maxFileBytes
        self.maxServices = maxServices
    }

    public static let `default` = DesiredStateLimits()
}
