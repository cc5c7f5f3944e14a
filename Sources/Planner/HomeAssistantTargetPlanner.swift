import DesiredState
import Diagnostics
import HomeAssistant
import Networks

/// The Home Assistant part of the plan: its two proxy-trust settings, in whichever mode it runs.
enum HomeAssistantTargetPlanner {
    /// `proxyAddresses`: the running proxy container's `ADDRESS/PREFIX`es, when the engine was read.
    static func plan(desired: DesiredState, input: HomeAssistantInput, configDir: String, ledger: HomeAssistantLedger,
                     proxyAddresses: [String] = [], options: HomeAssistantPlanOptions = HomeAssistantPlanOptions()) throws(Diagnostic) -> ([TargetPlan], HomeAssistantLedger) {
        let service = desired.homeAssistant
        let policy = service.map { _ in ProxyTrustPolicy(trustedProxies: desired.trustedProxies ?? ProxyTrustPolicy.defaultTrustedProxies) }
        if policy == nil && ledger.isEmpty {
            return ([TargetPlan(kind: .homeAssistant, path: configDir,
                                note: "no exposed service is Home Assistant, and reconcile added nothing to its settings")], ledger)
        }
        let edit = try HomeAssistantPlanner.plan(input, desired: policy, ledger: ledger, options: options)
        let storage = edit.mode == .storage
        let path = storage ? input.storagePath : input.configurationPath
        let reason = service.map { "\($0.name) is Home Assistant behind Caddy: without these settings it answers 400 to proxied requests" }
            ?? "no exposed service is Home Assistant any more: removing what reconcile added"
        let planned = edit.changes.enumerated().map { index, change in
            guard case .adopt = change.action else {
                return (change.file, PlannedChange(kind: action(change.action), subject: subject(change.action), service: service?.name,
                                                   summary: "\(describe(change.action)) (\(change.section), line \(change.line))",
                                                   reason: edit.causes[index] ?? reason, lines: LineRange(line: change.line)))
            }
            return (change.file, PlannedChange(kind: .adopt, subject: subject(change.action), service: service?.name,
                                               summary: "\(describe(change.action)) (\(change.section), line \(change.line))",
                                               reason: "written by hand; adopted on request (--adopt): the file does not change, and when Home Assistant "
                                                  + "is no longer exposed, prune will remove it like a setting reconcile added",
                                               lines: LineRange(line: change.line)))
        }
        let changes = planned.filter { $0.0 == path }.map(\.1)
        let restartName = service?.composeService ?? service?.name ?? "homeassistant"
        var target = TargetPlan(kind: .homeAssistant, path: path,
                                note: "\(storage ? "storage" : "YAML") mode: \(edit.modeReason.explanation)",
                                changes: changes,
                                warnings: edit.warnings.map { PlanWarning(.homeAssistant, file: path, $0) }
                                    + adoptable(edit, service: service?.name)
                                    + untrustedProxy(proxyAddresses, policy: policy).map { PlanWarning(.untrustedProxy, file: path, $0) },
                                currentContent: storage ? input.storageHTTP : input.configurationYAML,
                                newContent: storage ? edit.newStorageHTTP : edit.newConfigurationYAML)
        target.notes = edit.notes
        target.homeAssistantMode = edit.modeReason
        if edit.needsRestart {
            if !edit.mustStopBeforeWriting {
                target.restart = ServiceRestart(mode: .restart, services: [restartName],
                                                reason: "Home Assistant reads its http settings only at start: restarts Home Assistant")
            } else if options.ownTrial {
                target.restart = ServiceRestart(mode: .homeAssistantTrial, services: [restartName],
                                                reason: "with the access token, through Home Assistant's own trial: http/config/configure with the whole new data.stable (Home Assistant restarts into it), probe through Caddy, http/config/promote within 5 minutes; a failed probe is not promoted and Home Assistant reverts to data.stable by itself")
            } else {
                target.restart = ServiceRestart(mode: .stopWriteStart, services: [restartName],
                                                reason: "Home Assistant rewrites .storage/http from memory: stop it, read the file again (planning again if it changed), write data.stable, start it (rollback: stop, restore, start); apply refuses when it cannot stop Home Assistant (--no-runtime, --ha-restart none) unless --ha-stopped says it is stopped")
            }
        }
        var targets = [target]
        if storage, let yaml = edit.newConfigurationYAML {
            // Storage mode also removes the http: block reconcile created in configuration.yaml: Home Assistant
            // ignores it since the migration, so the write needs no restart.
            let own = planned.filter { $0.0 == input.configurationPath }.map(\.1).map { change in
                var change = change
                change.reason = "reconcile created this block, and only its own settings are in it"
                return change
            }
            targets.append(TargetPlan(kind: .homeAssistant, path: input.configurationPath,
                                      note: "the http: block reconcile created before Home Assistant moved the http settings to \(input.storagePath): ignored since, it raises the repair yaml_still_present_after_migration and stops working in \(HomeAssistantVersions.yamlRemoval)",
                                      changes: own, currentContent: input.configurationYAML, newContent: yaml))
        }
        return (targets, edit.ledger)
    }

    /// Hand-written trust settings `--adopt` would hand to reconcile: one warning, at the first of them.
    static func adoptable(_ edit: HomeAssistantEdit, service: String?) -> [PlanWarning] {
        guard let first = edit.adoptable.first, let warning = edit.adoptableWarning else { return [] }
        return [PlanWarning(.adoptable, file: first.file, position: SourcePosition(line: first.line, column: 1), services: service.map { [$0] } ?? [],
                            warning.message, hint: warning.hint)]
    }

    /// Caddy's requests reach Home Assistant from the proxy container's own address. Docker picks that
    /// network from its pools, and once 172.16.0.0/12 is used up it hands out 192.168.x: then the default
    /// trust misses it and every proxied page answers 400. Say so, with the network to declare.
    static func untrustedProxy(_ addresses: [String], policy: ProxyTrustPolicy?) -> [String] {
        guard let policy else { return [] }
        let trusted = policy.trustedProxies.compactMap { try? IPNetwork.parse($0).get() }
        return addresses.compactMap { text in
            let parts = text.split(separator: "/")
            guard let ip = try? IPNetwork.parse(String(parts[0])).get(), !trusted.contains(where: { $0.contains(ip) }) else { return nil }
            let prefix = parts.count > 1 ? Int(parts[1]) ?? ip.prefixLength : ip.prefixLength
            let network = IPNetwork(masking: ip.address, prefixLength: prefix)
            return "Caddy's container connects from \(parts[0]), which trusted_proxies does not cover: Home Assistant would answer 400 to every proxied request. Add \(network) to trusted_proxies in the desired state (or pin Caddy's network to a subnet inside 172.16.0.0/12)"
        }
    }

    static func action(_ action: HomeAssistantSettingChange.Action) -> PlannedChange.Kind {
        switch action {
        case .addHTTPBlock, .addTrustedProxiesKey, .addTrustedProxy: return .add
        case .removeHTTPBlock, .removeUseXForwardedFor, .removeTrustedProxiesKey, .removeTrustedProxy: return .remove
        case .setUseXForwardedFor, .repairTrustedProxy: return .change
        case .adopt: return .adopt
        }
    }

    static func describe(_ action: HomeAssistantSettingChange.Action) -> String {
        switch action {
        case .addHTTPBlock: return "add the http: block"
        case .removeHTTPBlock: return "remove the http: block reconcile added"
        case .setUseXForwardedFor(let value): return "set to \(value)"
        case .removeUseXForwardedFor: return "remove the key"
        case .addTrustedProxiesKey: return "add the key"
        case .removeTrustedProxiesKey: return "remove the key"
        case .addTrustedProxy(let proxy): return "trust \(proxy)"
        case .removeTrustedProxy(let proxy): return "stop trusting \(proxy)"
        case .repairTrustedProxy(let from, let to): return "repair \(from) → \(to)"
        case .adopt(let setting): return "adopt \(setting)"
        }
    }

    static func subject(_ action: HomeAssistantSettingChange.Action) -> String {
        switch action {
        case .addHTTPBlock, .removeHTTPBlock, .adopt: return "http"
        case .setUseXForwardedFor, .removeUseXForwardedFor: return "use_x_forwarded_for"
        case .addTrustedProxiesKey, .removeTrustedProxiesKey, .addTrustedProxy, .removeTrustedProxy, .repairTrustedProxy: return "trusted_proxies"
        }
    }
}
