import Diagnostics
import YAMLEdit

/// Storage mode: edit `data.stable` of `.storage/http` (and follow `data.pending`, see below).
///
/// Why follow `pending` rather than clear it: `pending` is a trial configuration the user (or the
/// migration) made, holding settings that are not ours (port, TLS, CORS…). Clearing it would discard
/// them. Applying our two settings to it as well means that whichever configuration Home Assistant
/// starts with (the trial on a normal start, `stable` in recovery or after the trial reverts), Caddy is
/// trusted; and since the change is also in `stable`, it never depends on a promotion.
enum StorageModePlanner {
    static func plan(_ input: HomeAssistantInput, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger,
                     detection: ModeDetection) throws(Diagnostic) -> HomeAssistantEdit {
        guard let storage = detection.storage else { throw HomeAssistantPlanner.selfCheckFailure(input.storagePath) }
        try storage.validate()
        var editor = StorageEditor(storage: storage)
        let ledgerAfter = apply(desired: desired, ledger: ledger, to: storage, editor: &editor)
        var warnings = detection.warnings + deadYAMLBlockWarnings(input, ledger: ledger)
        for (section, settings) in [("data.stable", storage.stable), ("data.pending", storage.pending)] {
            guard let settings else { continue }
            if let warning = TrustReconciliation.broadEntryWarning(StorageHTTPFile.snapshot(of: settings), place: "\(input.storagePath) \(section)") {
                warnings.append(warning)
            }
        }
        if let pending = storage.pending,
           !TrustReconciliation.decide(StorageHTTPFile.snapshot(of: pending), desired: desired, ledger: ledger.pendingLedger).isEmpty {
            warnings.append("\(input.storagePath) holds a trial configuration (data.pending) that Home Assistant tries at its next start and reverts after about 5 minutes unless promoted; reconcile applies the same two settings to it and to data.stable, so Caddy is trusted either way")
        }
        guard !editor.edits.isEmpty else {
            return HomeAssistantPlanner.unchanged(mode: .storage, reason: detection.reason, warnings: warnings, ledger: ledgerAfter)
        }
        let output = TextEdit.apply(TextEdit.coalescingInsertions(editor.edits), to: storage.bytes)
        try selfCheck(output, path: input.storagePath, desired: desired, ledger: ledgerAfter)
        return HomeAssistantEdit(mode: .storage, modeReason: detection.reason, newConfigurationYAML: nil, newStorageHTTP: output,
                                 changes: editor.changes, warnings: warnings, needsRestart: true,
                                 mustStopBeforeWriting: true, ledger: ledgerAfter)
    }

    /// Edits stable and pending, each by its own part of the ledger; returns the ledger after.
    private static func apply(desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger, to storage: StorageHTTPFile,
                              editor: inout StorageEditor) -> HomeAssistantLedger {
        guard let stable = storage.stable else { return ledger }
        let stableSnapshot = StorageHTTPFile.snapshot(of: stable)
        let stableDecision = TrustReconciliation.decide(stableSnapshot, desired: desired, ledger: ledger)
        editor.apply(stableDecision, to: stable, snapshot: stableSnapshot, section: "data.stable")
        var ledgerAfter = stableDecision.ledger
        ledgerAfter.pending = nil
        if let pending = storage.pending {
            let snapshot = StorageHTTPFile.snapshot(of: pending)
            let decision = TrustReconciliation.decide(snapshot, desired: desired, ledger: ledger.pendingLedger)
            editor.apply(decision, to: pending, snapshot: snapshot, section: "data.pending")
            ledgerAfter.pending = HomeAssistantLedger.pendingAdditions(from: decision.ledger)
        }
        return ledgerAfter
    }

    private static func selfCheck(_ output: [UInt8], path: String, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger) throws(Diagnostic) {
        do {
            let storage = try StorageHTTPFile(bytes: output, file: path)
            try storage.validate()
            for (settings, part) in [(storage.stable, ledger), (storage.pending, ledger.pendingLedger)]
            where settings.map({ !TrustReconciliation.decide(StorageHTTPFile.snapshot(of: $0), desired: desired, ledger: part).isEmpty }) ?? false {
                throw HomeAssistantPlanner.selfCheckFailure(path)
            }
        } catch {
            throw HomeAssistantPlanner.selfCheckFailure(path)
        }
    }

    /// After the migration Home Assistant ignores `http:` in YAML and raises a repair while it is there.
    /// We never write into it; we say where it is (never what it holds: it may name secrets).
    private static func deadYAMLBlockWarnings(_ input: HomeAssistantInput, ledger: HomeAssistantLedger) -> [String] {
        guard let bytes = input.configurationYAML else { return [] }
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: input.configurationPath)
        } catch {
            return ["could not check \(input.configurationPath) for a leftover http: block: \(error)"]
        }
        guard let pair = document.root?.pair(forKey: "http") else { return [] }
        let origin = ledger.createdHTTPBlock ? " (reconcile added it before the migration)" : ""
        return ["\(input.configurationPath):\(pair.key.start.line): this http: block\(origin) is ignored since Home Assistant moved the http settings to \(input.storagePath), and Home Assistant raises the repair yaml_still_present_after_migration while it is there; reconcile never writes into it: remove it when convenient"]
    }
}
