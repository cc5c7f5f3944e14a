/// What the rules remember between reconciles (persisted in the state dir, so a CLI run from a timer
/// and the daemon share it): the failure going on, and who could reach each host after the last apply.
public struct NotificationMemory: Sendable, Hashable, Codable {
    public static let currentSchema = 1

    public var schema = NotificationMemory.currentSchema
    public var failing: Failing?
    /// By host; nil until the first successful apply was seen (then nothing is "newly" anything).
    public var hosts: [String: HostAccess]?
    /// Certificate alerts last sent (Unix time), by host and kind of problem.
    public var certificates: [String: Int64] = [:]

    public init() {}

    /// One failure, identified by what would make it a different message (`fingerprint`).
    public struct Failing: Sendable, Hashable, Codable {
        public var fingerprint: String
        public var kind: NotificationKind
        public var reason: String
        /// When it began (Unix time).
        public var since: Int64
        /// When its message last reached a target; nil: not yet.
        public var lastSent: Int64?
        /// Reconciles that tried to send it without reaching any target.
        public var undelivered: Int
        /// Reconciles in a row that failed this way.
        public var seen = 1

        enum CodingKeys: String, CodingKey {
            case fingerprint, kind, reason, since, undelivered, seen
            case lastSent = "last_sent"
        }
    }

    enum CodingKeys: String, CodingKey { case schema, failing, hosts, certificates }
}
