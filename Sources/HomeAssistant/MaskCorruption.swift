import Networks

/// Where a network is written outside `data.stable`: the failed pending config or the YAML `http:` block.
struct MaskEvidence {
    let network: IPNetwork
    /// `data.pending (failed: not_promoted)`, `configuration.yaml:7`.
    let place: String
}

/// One `data.stable` entry that lost its mask, and the network it was.
struct MaskRepair: Equatable {
    /// Into `data.stable`'s `trusted_proxies`.
    let index: Int
    /// As stored: a `/32` or `/128`.
    let from: IPNetwork
    /// The wider network written elsewhere with the same address.
    let to: IPNetwork
    let places: [String]
    /// The ledger lists `to` as reconcile's: repaired without asking.
    let ours: Bool

    /// The cause, in one line.
    var cause: String {
        "Home Assistant's move of http: into storage lost this entry's mask (core#182040); \(places.joined(separator: " and ")) \(places.count == 1 ? "holds" : "hold") \(to)"
    }
}

/// core#182040: releases up to 2026.7.1 stored version-1 proxies without masks, so the migration to
/// version 2 turned `172.16.0.0/12` into `172.16.0.0/32` in `data.stable` (and every proxied request
/// from that network gets 400). The sign: a host-length entry in `stable` whose address is the network
/// address of a wider network in the failed pending config or in the YAML block.
enum MaskCorruption {
    static func find(in proxies: [IPNetwork?], evidence: [MaskEvidence], ledger: HomeAssistantLedger) -> [MaskRepair] {
        let ours = Set(ledger.addedTrustedProxies.compactMap { try? IPNetwork.parse($0).get() })
        let present = Set(proxies.compactMap { $0 })
        var repairs: [MaskRepair] = []
        for (index, entry) in proxies.enumerated() {
            guard let entry, entry.prefixLength == entry.address.count * 8 else { continue }
            let wider = evidence.filter { $0.network.prefixLength < entry.prefixLength && $0.network.address == entry.address }
            // Ours first (the ledger is certain), then the widest; a network `stable` already holds was not lost.
            let candidates = Set(wider.map(\.network)).filter { !present.contains($0) }
                .sorted { (ours.contains($0) ? 0 : 1, $0.prefixLength) < (ours.contains($1) ? 0 : 1, $1.prefixLength) }
            guard let to = candidates.first else { continue }
            var places: [String] = []
            for item in wider where item.network == to && !places.contains(item.place) { places.append(item.place) }
            repairs.append(MaskRepair(index: index, from: entry, to: to, places: places, ours: ours.contains(to)))
        }
        return repairs
    }

    /// What a user must do for a lost mask reconcile does not repair on its own.
    static func warning(_ repair: MaskRepair, file: String, line: Int) -> String {
        "\(file):\(line): data.stable trusts \(repair.from) where \(repair.places.joined(separator: " and ")) \(repair.places.count == 1 ? "holds" : "hold") \(repair.to): Home Assistant's move of http: into storage lost its mask (core#182040), so proxied requests from the rest of \(repair.to) get 400. It is the user's entry, not reconcile's, so it stays as it is: with Home Assistant stopped, replace \"\(repair.from)\" with \"\(repair.to)\" in data.stable.trusted_proxies, or run reconcile with --ha-repair-lost-masks (settings: ha_repair_lost_masks: true)"
    }
}
