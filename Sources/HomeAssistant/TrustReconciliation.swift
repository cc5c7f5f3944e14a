import Networks

/// The two settings as found in one place (YAML `http:`, storage `stable` or `pending`).
struct TrustSnapshot {
    enum Flag: Equatable { case absent, isTrue, notTrue }

    var flag: Flag
    var hasProxiesKey: Bool
    /// In file order. nil for an entry we cannot read (a `!secret`, a malformed string): kept, never matched.
    var proxies: [IPNetwork?]
}

/// What to do to one place; mode-independent, so YAML and storage follow the same rules.
struct TrustDecision {
    enum FlagAction: Equatable { case none, setTrue, setFalse, remove }

    var flag = FlagAction.none
    var createProxiesKey = false
    var removeProxiesKey = false
    /// Indices into `TrustSnapshot.proxies`, ascending.
    var removeProxyIndices: [Int] = []
    var addProxies: [(network: IPNetwork, spelling: String)] = []
    var ledger: HomeAssistantLedger

    var isEmpty: Bool {
        flag == .none && !createProxiesKey && !removeProxiesKey && removeProxyIndices.isEmpty && addProxies.isEmpty
    }
}

/// The ownership rules: add what the desired state is missing; remove only what the ledger says we added.
enum TrustReconciliation {
    static func decide(_ snapshot: TrustSnapshot, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger) -> TrustDecision {
        let ours = ledger.addedTrustedProxies.compactMap { try? IPNetwork.parse($0).get() }
        guard let desired else { return prune(snapshot, ours: ours, ledger: ledger) }

        let wanted = desired.networks
        let stale = ours.filter { network in !wanted.contains { $0.network == network } }
        var decision = TrustDecision(ledger: ledger)
        decision.removeProxyIndices = lastOccurrences(of: stale, in: snapshot.proxies)
        let remaining = snapshot.proxies.enumerated()
            .filter { !decision.removeProxyIndices.contains($0.offset) }.compactMap(\.element)
        // A desired network already inside a present one (e.g. the user trusts 172.16.0.0/12) is trusted.
        decision.addProxies = wanted.filter { want in !remaining.contains { $0.contains(want.network) } }
        decision.createProxiesKey = !snapshot.hasProxiesKey

        var kept = ours.filter { network in wanted.contains { $0.network == network } && remaining.contains(network) }
        for added in decision.addProxies where !kept.contains(added.network) { kept.append(added.network) }
        decision.ledger.addedTrustedProxies = kept.map(\.description)
        decision.ledger.createdTrustedProxies = snapshot.hasProxiesKey ? ledger.createdTrustedProxies : true

        switch snapshot.flag {
        case .isTrue:
            break
        case .absent:
            decision.flag = .setTrue
            decision.ledger.useXForwardedForBefore = ledger.useXForwardedForBefore ?? .absent
        case .notTrue:
            decision.flag = .setTrue
            decision.ledger.useXForwardedForBefore = ledger.useXForwardedForBefore ?? .notTrue
        }
        return decision
    }

    /// No exposed Home Assistant: undo what we added; the ledger ends empty.
    private static func prune(_ snapshot: TrustSnapshot, ours: [IPNetwork], ledger: HomeAssistantLedger) -> TrustDecision {
        var decision = TrustDecision(ledger: .empty)
        decision.removeProxyIndices = lastOccurrences(of: ours, in: snapshot.proxies)
        let remaining = snapshot.proxies.count - decision.removeProxyIndices.count
        decision.removeProxiesKey = ledger.createdTrustedProxies && snapshot.hasProxiesKey && remaining == 0
        let proxiesKeyStays = snapshot.hasProxiesKey && !decision.removeProxiesKey
        switch ledger.useXForwardedForBefore {
        case .absent?:
            // Home Assistant wants both keys or neither: keep the flag while the user's proxies stay.
            if snapshot.flag != .absent && !proxiesKeyStays { decision.flag = .remove }
        case .notTrue?:
            if snapshot.flag == .isTrue { decision.flag = .setFalse }
        case nil:
            break
        }
        return decision
    }

    /// A hand-written entry that trusts every address (`0.0.0.0/0`) is the user's to keep, but never silently.
    static func broadEntryWarning(_ snapshot: TrustSnapshot, place: String) -> String? {
        guard let broad = snapshot.proxies.compactMap({ $0 }).first(where: { $0.prefixLength == 0 }) else { return nil }
        return "\(place): trusted_proxies contains \(broad), written by hand: Home Assistant then believes any client's X-Forwarded-For; reconcile leaves it, but replace it with the proxy's own networks"
    }

    /// For each network, the last entry equal to it (we append, so ours are last), each index used once.
    private static func lastOccurrences(of networks: [IPNetwork], in proxies: [IPNetwork?]) -> [Int] {
        var chosen: Set<Int> = []
        for network in networks {
            if let index = proxies.indices.last(where: { proxies[$0] == network && !chosen.contains($0) }) {
                chosen.insert(index)
            }
        }
        return chosen.sorted()
    }
}
