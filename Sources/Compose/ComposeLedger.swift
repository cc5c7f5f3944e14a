/// Which `depends_on` entries reconcile added, so that prune removes those and only those.
///
/// Why a ledger and not "caddy is in depends_on": a `depends_on: [zigbee2mqtt, caddy]` the user wrote
/// before reconcile came must survive the service leaving the desired state, and the file alone cannot
/// tell the two apart. An entry is recorded only when reconcile inserts the dependency; a dependency
/// that was already there is never recorded, so it is never pruned. The caller persists the ledger
/// (e.g. in the state directory) next to the applied file. Losing it is safe: reconcile then prunes
/// nothing (a harmless extra dependency stays), it never removes a user's line.
public struct ComposeLedger: Codable, Sendable, Hashable {
    public struct Entry: Codable, Sendable, Hashable, Comparable {
        /// The compose service whose `depends_on` got the entry.
        public var service: String
        /// The dependency added (the proxy service, `caddy` by default).
        public var dependency: String

        public init(service: String, dependency: String) {
            self.service = service
            self.dependency = dependency
        }

        public static func < (a: Entry, b: Entry) -> Bool {
            (a.service, a.dependency) < (b.service, b.dependency)
        }
    }

    /// Sorted and unique, so equal ledgers encode to equal JSON.
    public private(set) var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = Array(Set(entries)).sorted()
    }

    public static let empty = ComposeLedger()

    public func contains(service: String, dependency: String) -> Bool {
        entries.contains(Entry(service: service, dependency: dependency))
    }

    public func entries(for service: String) -> [Entry] {
        entries.filter { $0.service == service }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode([Entry].self, forKey: .entries))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
    }

    private enum CodingKeys: String, CodingKey { case entries }
}
