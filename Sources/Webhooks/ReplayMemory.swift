/// The delivery ids seen last, oldest forgotten first: a delivery sent twice (a forge's retry, or a
/// captured request played again) wakes the loop once.
public struct ReplayMemory: Sendable, Hashable {
    private var order: [String] = []
    private var seen: Set<String> = []
    private var start = 0
    public let capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public func contains(_ id: String) -> Bool { seen.contains(id) }

    /// Remembers `id`; false when it was already there.
    @discardableResult
    public mutating func insert(_ id: String) -> Bool {
        guard !seen.contains(id) else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            seen.remove(order[start])
            order[start] = id
            start = (start + 1) % capacity
        }
        seen.insert(id)
        return true
    }

    public var count: Int { seen.count }
}
