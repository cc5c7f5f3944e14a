import Diagnostics
import YAMLEdit

/// Keeps Home Assistant trusting Caddy: owns `use_x_forwarded_for` and `trusted_proxies`, nothing else.
/// Pure: bytes in, bytes out; the caller writes (atomically) and restarts.
///
/// - Mode: storage when `.storage/http` says `yaml_migration_done: true`, YAML otherwise (`ModeDetection`).
/// - Ownership (`TrustReconciliation`): add each desired network no entry in the file already contains;
///   remove only what the ledger lists (the last equal entry: we append). Hand entries stay.
/// - YAML mode changes only our keys' lines inside `http:` (or appends a new block at the end); anything
///   that would need a guess (`!include`, alias, flow mapping, `!secret` value of ours…) is a Diagnostic.
/// - Storage mode changes only our two members' values in `data.stable` (repairing masks the 2026.8
///   migration lost), and follows a clean `data.pending`, never a failed one (see `StorageModePlanner`);
///   every other byte of the file stays.
/// - Our own output is planned again before it is returned: if that would change anything, nothing is written.
public enum HomeAssistantPlanner {
    /// desired == nil means no exposed service is Home Assistant: prune what the ledger says we added.
    public static func plan(_ input: HomeAssistantInput, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger,
                            options: HomeAssistantPlanOptions = HomeAssistantPlanOptions()) throws(Diagnostic) -> HomeAssistantEdit {
        if let desired { try desired.validate(file: "desired state (Home Assistant trusted proxies)") }
        if desired == nil && ledger.isEmpty {
            // Nothing of ours to remove: do not even require the files to exist (a gateway without Home Assistant).
            let (mode, reason) = ModeDetection.bestEffort(input)
            return unchanged(mode: mode, reason: reason, ledger: ledger)
        }
        let detection = try ModeDetection(input)
        switch detection.mode {
        case .yaml: return try YAMLModePlanner.plan(input, desired: desired, ledger: ledger, detection: detection, adopt: options.adopt)
        case .storage: return try StorageModePlanner.plan(input, desired: desired, ledger: ledger, detection: detection, options: options)
        }
    }

    static func unchanged(mode: HomeAssistantMode, reason: HomeAssistantModeReason, warnings: [String] = [], ledger: HomeAssistantLedger) -> HomeAssistantEdit {
        HomeAssistantEdit(mode: mode, modeReason: reason, newConfigurationYAML: nil, newStorageHTTP: nil, changes: [],
                          warnings: warnings, needsRestart: false, mustStopBeforeWriting: false, ledger: ledger)
    }

    /// The settings to suggest in hints when the user must edit by hand.
    static func suggestion(_ desired: ProxyTrustPolicy?) -> String {
        let proxies = (desired ?? ProxyTrustPolicy()).trustedProxies.map(YAMLScalarRendering.render)
        return "use_x_forwarded_for: true and trusted_proxies: [\(proxies.joined(separator: ", "))]"
    }

    /// Our own output, planned again, must need nothing: otherwise refuse rather than write something odd.
    static func selfCheckFailure(_ file: String) -> Diagnostic {
        Diagnostic(file: file, position: nil, message: "reconcile's edit did not read back as intended, so nothing is written",
                   hint: "this is a bug in reconcile: please report it with the file; meanwhile set use_x_forwarded_for and trusted_proxies by hand")
    }
}
