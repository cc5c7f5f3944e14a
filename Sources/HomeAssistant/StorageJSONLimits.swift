/// Bounds on `.storage/http` (its size is bounded when it is read: `LiveFileReader.defaultMaxBytes`).
public enum StorageJSONLimits {
    /// Deepest nesting of JSON objects and arrays; Home Assistant's own file nests four levels.
    public static let maxDepth = 64
}
