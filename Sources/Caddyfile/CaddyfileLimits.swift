/// Bounds on a live Caddyfile (its size is bounded when it is read: `LiveFileReader.defaultMaxBytes`).
public enum CaddyfileLimits {
    /// Deepest nesting of `{ }` blocks accepted. Real Caddyfiles nest three or four levels.
    public static let maxDepth = 64
}
