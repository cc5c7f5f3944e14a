import Diagnostics
import Networks
import YAMLEdit

/// Storage mode: the `http:` block reconcile itself created in configuration.yaml (the ledger says so) is
/// dead once Home Assistant migrated it: it is ignored, it raises `yaml_still_present_after_migration`, and it
/// stops working in 2027.2.0. It goes, whole, when it holds nothing but what reconcile wrote. A block the
/// user wrote, or added to, stays, with a warning.
enum OwnYAMLBlockRemoval {
    struct Outcome {
        var newConfigurationYAML: [UInt8]?
        var changes: [HomeAssistantSettingChange] = []
        var warnings: [String] = []
        /// Whether the ledger still needs to remember that we created a block.
        var stillCreated: Bool
    }

    static func plan(_ input: HomeAssistantInput, ledger: HomeAssistantLedger) -> Outcome {
        let path = input.configurationPath
        guard let bytes = input.configurationYAML, let document = try? YAMLDocument.parse(bytes, file: path) else {
            return Outcome(warnings: warnings(input, ledger: ledger, ours: false), stillCreated: ledger.createdHTTPBlock && input.configurationYAML != nil)
        }
        guard let block = try? ConfigurationHTTPBlock.locate(in: document, suggestion: "") else {
            return Outcome(warnings: warnings(input, ledger: ledger, ours: false), stillCreated: ledger.createdHTTPBlock)
        }
        guard case .mapping = block.placement else {
            // Absent (or emptied by the user): nothing of ours is left there.
            return Outcome(warnings: warnings(input, ledger: ledger, ours: false), stillCreated: false)
        }
        guard ledger.createdHTTPBlock, holdsOnlyOurs(block, ledger: ledger) else {
            return Outcome(warnings: warnings(input, ledger: ledger, ours: false), stillCreated: ledger.createdHTTPBlock)
        }
        var editor = ConfigurationEditor(block: block, decision: TrustDecision(ledger: ledger))
        do {
            try editor.removeCreatedBlock()
        } catch {
            return Outcome(warnings: warnings(input, ledger: ledger, ours: true) + ["\(error)"], stillCreated: true)
        }
        let output = TextEdit.apply(editor.edits, to: bytes)
        // Read back: still YAML Home Assistant loads, and no http: left.
        guard let check = try? YAMLDocument.parse(output, file: path), check.root?.pair(forKey: "http") == nil else {
            return Outcome(warnings: warnings(input, ledger: ledger, ours: true), stillCreated: true)
        }
        return Outcome(newConfigurationYAML: output, changes: editor.changes, stillCreated: false)
    }

    /// Only `use_x_forwarded_for: true` and `trusted_proxies` entries the ledger lists as ours.
    static func holdsOnlyOurs(_ block: ConfigurationHTTPBlock, ledger: HomeAssistantLedger) -> Bool {
        guard case .mapping(_, let http) = block.placement, let pairs = http.pairs else { return false }
        let keys: Set<String> = [ConfigurationHTTPBlock.flagKey, ConfigurationHTTPBlock.proxiesKey]
        guard pairs.allSatisfy({ keys.contains($0.key.scalarValue ?? "") }) else { return false }
        if block.flagPair != nil, block.snapshot.flag != .isTrue { return false }
        let ours = Set(ledger.addedTrustedProxies.compactMap { try? IPNetwork.parse($0).get() })
        return block.snapshot.proxies.allSatisfy { $0.map(ours.contains) ?? false }
    }

    /// Where a block that stays is (never what it holds: it may name secrets), and when it stops working.
    static func warnings(_ input: HomeAssistantInput, ledger: HomeAssistantLedger, ours: Bool) -> [String] {
        guard let bytes = input.configurationYAML else { return [] }
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: input.configurationPath)
        } catch {
            return ["could not check \(input.configurationPath) for a leftover http: block: \(error)"]
        }
        guard let pair = document.root?.pair(forKey: "http") else { return [] }
        let origin = ledger.createdHTTPBlock ? " (reconcile created it before the migration, but it now holds settings of yours too)" : ""
        return ["\(input.configurationPath):\(pair.key.start.line): this http: block\(origin) is ignored since Home Assistant moved the http settings to \(input.storagePath); Home Assistant raises the repair yaml_still_present_after_migration while it is there, and says it stops working in \(HomeAssistantVersions.yamlRemoval). reconcile never writes into a block it did not create alone: remove it when convenient"]
    }
}
