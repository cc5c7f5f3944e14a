import Networks
import YAMLEdit

/// Adoption of the proxy-trust settings a user wrote by hand (the gateway's how-to has them), in
/// YAML mode and, once Home Assistant migrated them, in `.storage/http`'s `data.stable`. Only with the user's opt-in do they go into the ledger; then prune removes them like
/// settings reconcile added. Without it they stay the user's, and the plan says how to opt in.
///
/// What is adopted: `use_x_forwarded_for: true` when reconcile never set it, each desired network
/// written exactly as a `trusted_proxies` entry reconcile did not add, the `trusted_proxies` key
/// when every entry in it is desired, and the `http:` block when it holds only those two keys.
/// An entry the desired state does not list is never adopted: it stays the user's.
enum TrustAdoption {
    struct Result {
        var ledger: HomeAssistantLedger
        var changes: [HomeAssistantSettingChange]
    }

    /// nil when nothing hand-written is left to adopt. `ledger` is the one after this plan's decision.
    static func adoptable(_ block: ConfigurationHTTPBlock, desired: ProxyTrustPolicy, ledger: HomeAssistantLedger,
                          file: String) -> Result? {
        guard case .mapping(_, let http) = block.placement else { return nil }
        var after = ledger
        var changes: [HomeAssistantSettingChange] = []
        if block.snapshot.flag == .isTrue, ledger.useXForwardedForBefore == nil, let pair = block.flagPair {
            after.useXForwardedForBefore = .absent
            changes.append(HomeAssistantSettingChange(action: .adopt("use_x_forwarded_for: true"), file: file, section: "http",
                                                      line: pair.key.start.line))
        }
        let ours = Set(ledger.addedTrustedProxies.compactMap { try? IPNetwork.parse($0).get() })
        let wanted = desired.networks.map(\.network)
        for (index, proxy) in block.snapshot.proxies.enumerated() {
            guard let proxy, wanted.contains(proxy), !ours.contains(proxy),
                  !after.addedTrustedProxies.contains(proxy.description) else { continue }
            after.addedTrustedProxies.append(proxy.description)
            changes.append(HomeAssistantSettingChange(action: .adopt("trusted_proxies entry \(block.proxyItems[index].scalarValue ?? proxy.description)"),
                                                      file: file, section: "http", line: block.proxyItems[index].start.line))
        }
        guard !changes.isEmpty else { return nil }
        let everyEntryDesired = block.snapshot.proxies.allSatisfy { $0.map(wanted.contains) ?? false }
        if block.snapshot.hasProxiesKey && everyEntryDesired { after.createdTrustedProxies = true }
        if case .mapping(let pairs, _) = http.kind,
           pairs.allSatisfy({ [ConfigurationHTTPBlock.flagKey, ConfigurationHTTPBlock.proxiesKey].contains($0.key.scalarValue ?? "") }),
           after.createdTrustedProxies, after.useXForwardedForBefore != nil {
            after.createdHTTPBlock = true
        }
        return Result(ledger: after, changes: changes)
    }

    /// Storage mode: the same, for `data.stable` (Home Assistant 2026.8 migrated the hand-written `http:`
    /// block there). Entries the ledger lists are ours already, whichever mode they were adopted or added
    /// in: it keys them by network, which is how storage writes them. `lostMasks` (indices of entries
    /// core#182040 cut to a /32) are never adopted as they are: the mask repair is in charge of them.
    static func adoptable(stable: JSONNode, in storage: StorageHTTPFile, lostMasks: Set<Int>, desired: ProxyTrustPolicy,
                          ledger: HomeAssistantLedger) -> Result? {
        let snapshot = StorageHTTPFile.snapshot(of: stable)
        let lines = SourceLines(storage.bytes)
        let section = "data.stable"
        var after = ledger
        var changes: [HomeAssistantSettingChange] = []
        if snapshot.flag == .isTrue, ledger.useXForwardedForBefore == nil, let flag = stable.member(StorageHTTPFile.flagKey) {
            after.useXForwardedForBefore = .absent
            changes.append(HomeAssistantSettingChange(action: .adopt("use_x_forwarded_for: true"), file: storage.file, section: section,
                                                      line: lines.lineNumber(of: flag.keyRange.lowerBound)))
        }
        var items: [JSONNode] = []
        if case .array(let list)? = stable[StorageHTTPFile.proxiesKey]?.kind { items = list }
        let ours = Set(ledger.addedTrustedProxies.compactMap { try? IPNetwork.parse($0).get() })
        let wanted = desired.networks.map(\.network)
        for (index, proxy) in snapshot.proxies.enumerated() where items.indices.contains(index) && !lostMasks.contains(index) {
            guard let proxy, wanted.contains(proxy), !ours.contains(proxy),
                  !after.addedTrustedProxies.contains(proxy.description) else { continue }
            after.addedTrustedProxies.append(proxy.description)
            changes.append(HomeAssistantSettingChange(action: .adopt("trusted_proxies entry \(items[index].string ?? proxy.description)"),
                                                      file: storage.file, section: section, line: lines.lineNumber(of: items[index].range.lowerBound)))
        }
        guard !changes.isEmpty else { return nil }
        let everyEntryDesired = snapshot.proxies.allSatisfy { $0.map(wanted.contains) ?? false }
        if snapshot.hasProxiesKey && everyEntryDesired { after.createdTrustedProxies = true }
        return Result(ledger: after, changes: changes)
    }
}
