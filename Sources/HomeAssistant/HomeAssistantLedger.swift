/// What reconcile added to Home Assistant's http settings, so prune removes exactly that and nothing
/// the user wrote. Stored by the caller between runs; the same ledger serves YAML and storage mode
/// (Home Assistant's migration copies the YAML values, ours included, into `.storage/http`).
public struct HomeAssistantLedger: Codable, Sendable, Hashable {
    /// What `use_x_forwarded_for` was before we set it to true.
    public enum PriorFlag: String, Codable, Sendable, Hashable {
        /// The key was absent: prune removes it (unless trusted_proxies stays, which needs it).
        case absent
        /// It was false (or not true): prune sets it back to false.
        case notTrue
    }

    /// Proxies we added, in network form (`127.0.0.1/32`), so any spelling in the file matches.
    public var addedTrustedProxies: [String]
    /// nil when we never changed `use_x_forwarded_for`.
    public var useXForwardedForBefore: PriorFlag?
    /// We created the `trusted_proxies` key: prune removes it once it holds nothing of the user's.
    public var createdTrustedProxies: Bool
    /// We created the whole `http:` block in configuration.yaml: prune removes it once only our keys are left.
    public var createdHTTPBlock: Bool
    /// Storage mode: what we added to `data.pending` (a trial configuration with entries of its own),
    /// kept apart so prune does not take the user's pending entries for ours. nil when there is no pending.
    public var pending: PendingAdditions?

    /// The same facts for `data.pending`.
    public struct PendingAdditions: Codable, Sendable, Hashable {
        public var addedTrustedProxies: [String]
        public var useXForwardedForBefore: PriorFlag?
        public var createdTrustedProxies: Bool

        public init(addedTrustedProxies: [String] = [], useXForwardedForBefore: PriorFlag? = nil, createdTrustedProxies: Bool = false) {
            self.addedTrustedProxies = addedTrustedProxies
            self.useXForwardedForBefore = useXForwardedForBefore
            self.createdTrustedProxies = createdTrustedProxies
        }
    }

    public init(addedTrustedProxies: [String] = [], useXForwardedForBefore: PriorFlag? = nil,
                createdTrustedProxies: Bool = false, createdHTTPBlock: Bool = false, pending: PendingAdditions? = nil) {
        self.addedTrustedProxies = addedTrustedProxies
        self.useXForwardedForBefore = useXForwardedForBefore
        self.createdTrustedProxies = createdTrustedProxies
        self.createdHTTPBlock = createdHTTPBlock
        self.pending = pending
    }

    public static let empty = HomeAssistantLedger()

    public var isEmpty: Bool { self == .empty }

    // Tolerant decoding: a ledger written by an older version may lack fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        addedTrustedProxies = try container.decodeIfPresent([String].self, forKey: .addedTrustedProxies) ?? []
        useXForwardedForBefore = try container.decodeIfPresent(PriorFlag.self, forKey: .useXForwardedForBefore)
        createdTrustedProxies = try container.decodeIfPresent(Bool.self, forKey: .createdTrustedProxies) ?? false
        createdHTTPBlock = try container.decodeIfPresent(Bool.self, forKey: .createdHTTPBlock) ?? false
        pending = try container.decodeIfPresent(PendingAdditions.self, forKey: .pending)
    }

    /// `pending`'s facts as a ledger of their own, for the same rules.
    var pendingLedger: HomeAssistantLedger {
        HomeAssistantLedger(addedTrustedProxies: pending?.addedTrustedProxies ?? [], useXForwardedForBefore: pending?.useXForwardedForBefore,
                            createdTrustedProxies: pending?.createdTrustedProxies ?? false)
    }

    /// What to record for `pending` after a decision on it; nil when nothing of ours is there.
    static func pendingAdditions(from ledger: HomeAssistantLedger) -> PendingAdditions? {
        let additions = PendingAdditions(addedTrustedProxies: ledger.addedTrustedProxies, useXForwardedForBefore: ledger.useXForwardedForBefore,
                                         createdTrustedProxies: ledger.createdTrustedProxies)
        return additions == PendingAdditions() ? nil : additions
    }
}
