import YAMLEdit

/// A mapping's values by key, for the handful of keys a desired-state mapping allows: found by walking
/// them, which costs less than hashing at this size (a dozen lookups for each of 1,000 services).
struct KeyedFields {
    private var entries: [(key: String, value: YAMLNode)] = []

    subscript(key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.value
    }

    /// Keys are added once (`keyedFields` reports a repeated one instead).
    mutating func add(_ key: String, _ value: YAMLNode) {
        entries.append((key, value))
    }
}
