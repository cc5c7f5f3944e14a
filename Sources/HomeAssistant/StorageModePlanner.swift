import Diagnostics
import Networks
import YAMLEdit

/// Storage mode: edit `data.stable` of `.storage/http`, the config Home Assistant always falls back to.
///
/// - `pending` with an `error` (`not_promoted`, `apply_failed`) is never applied again: it is left byte
///   for byte (editing it would be pointless, and clearing its error would revive a failed trial).
/// - A clean `pending` is a trial Home Assistant runs at its next start: our two settings are written
///   into it too, so Caddy stays trusted during the trial; the change never depends on a promotion,
///   since it is in `stable` as well.
/// - A `/32` in `stable` that was a wider network before the migration lost its mask (core#182040) is
///   repaired in place when it is reconcile's (or the user opts in); otherwise the plan says how.
/// - Hand-written `data.stable` trust settings the desired state wants go into the ledger with the
///   opt-in (`--adopt`), without a byte of the file changing (`TrustAdoption`); otherwise the plan says how.
enum StorageModePlanner {
    static func plan(_ input: HomeAssistantInput, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger,
                     detection: ModeDetection, options: HomeAssistantPlanOptions) throws(Diagnostic) -> HomeAssistantEdit {
        guard let storage = detection.storage else { throw HomeAssistantPlanner.selfCheckFailure(input.storagePath) }
        try storage.validate()
        let evidence = yamlEvidence(input)
        let planned = edits(storage, desired: desired, ledger: ledger, evidence: evidence, options: options)
        let ownBlock = OwnYAMLBlockRemoval.plan(input, ledger: ledger)
        var ledgerAfter = planned.ledger
        ledgerAfter.createdHTTPBlock = ownBlock.stillCreated
        var warnings = detection.warnings + planned.warnings + ownBlock.warnings
        for (section, settings) in [("data.stable", storage.stable), ("data.pending", storage.pending)] {
            guard let settings else { continue }
            if let warning = TrustReconciliation.broadEntryWarning(StorageHTTPFile.snapshot(of: settings), place: "\(input.storagePath) \(section)") {
                warnings.append(warning)
            }
        }
        let notes = detection.notes + [HomeAssistantNote(storage.pendingStatus, storagePath: input.storagePath)]
        guard !planned.editor.edits.isEmpty else {
            // Adoption alone leaves every byte of .storage/http as it is: no stop, no write, no start.
            var edit = HomeAssistantEdit(mode: .storage, modeReason: detection.reason, newConfigurationYAML: ownBlock.newConfigurationYAML,
                                         newStorageHTTP: nil, changes: planned.adopted + ownBlock.changes, warnings: warnings, needsRestart: false,
                                         mustStopBeforeWriting: false, ledger: ledgerAfter)
            edit.notes = notes
            edit.adoptable = planned.adoptable
            return edit
        }
        let output = TextEdit.apply(TextEdit.coalescingInsertions(planned.editor.edits), to: storage.bytes)
        try selfCheck(output, path: input.storagePath, desired: desired, ledger: planned.ledger, evidence: evidence, options: options)
        var edit = HomeAssistantEdit(mode: .storage, modeReason: detection.reason, newConfigurationYAML: ownBlock.newConfigurationYAML,
                                     newStorageHTTP: output, changes: planned.editor.changes + planned.adopted + ownBlock.changes,
                                     warnings: warnings, needsRestart: true, mustStopBeforeWriting: true, ledger: ledgerAfter)
        edit.notes = notes
        edit.adoptable = planned.adoptable
        for (index, change) in edit.changes.enumerated() {
            guard case .repairTrustedProxy(let from, let to) = change.action,
                  let repair = planned.repairs.first(where: { $0.from.description == from && $0.to.description == to }) else { continue }
            edit.causes[index] = repair.cause
        }
        return edit
    }

    struct Planned {
        var editor: StorageEditor
        var ledger: HomeAssistantLedger
        var repairs: [MaskRepair]
        var warnings: [String]
        /// Hand-written `data.stable` settings put into the ledger (`--adopt`), or that it would put there.
        var adopted: [HomeAssistantSettingChange] = []
        var adoptable: [HomeAssistantSettingChange] = []
    }

    /// The edits of stable (repairs first, then the ownership rules on the repaired entries) and of a
    /// clean pending; returns them with the ledger after.
    static func edits(_ storage: StorageHTTPFile, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger,
                      evidence yaml: [MaskEvidence], options: HomeAssistantPlanOptions) -> Planned {
        var planned = Planned(editor: StorageEditor(storage: storage), ledger: ledger, repairs: [], warnings: [])
        guard let stable = storage.stable else { return planned }
        var snapshot = StorageHTTPFile.snapshot(of: stable)
        var evidence = yaml
        if case .failed(let error) = storage.pendingStatus, let pending = storage.pending {
            evidence = StorageHTTPFile.snapshot(of: pending).proxies.compactMap { $0 }
                .map { MaskEvidence(network: $0, place: "data.pending (failed: \(error))") } + evidence
        }
        let found = MaskCorruption.find(in: snapshot.proxies, evidence: evidence, ledger: ledger)
        planned.repairs = found.filter { $0.ours || options.repairUserMasks }
        for repair in planned.repairs { snapshot.proxies[repair.index] = repair.to }
        let lines = SourceLines(storage.bytes)
        var items: [JSONNode] = []
        if case .array(let list)? = stable[StorageHTTPFile.proxiesKey]?.kind { items = list }
        for repair in found where !planned.repairs.contains(repair) && items.indices.contains(repair.index) {
            planned.warnings.append(MaskCorruption.warning(repair, file: storage.file, line: lines.lineNumber(of: items[repair.index].range.lowerBound)))
        }

        let stableDecision = TrustReconciliation.decide(snapshot, desired: desired, ledger: ledger)
        planned.editor.apply(stableDecision, to: stable, snapshot: snapshot, section: "data.stable", repairs: planned.repairs)
        planned.ledger = stableDecision.ledger
        planned.ledger.pending = nil
        if let desired, let adoption = TrustAdoption.adoptable(stable: stable, in: storage, lostMasks: Set(found.map(\.index)),
                                                               desired: desired, ledger: planned.ledger) {
            if options.adopt {
                planned.ledger = adoption.ledger
                planned.adopted = adoption.changes
            } else {
                planned.adoptable = adoption.changes
            }
        }
        if storage.pendingStatus == .trial, let pending = storage.pending {
            let pendingSnapshot = StorageHTTPFile.snapshot(of: pending)
            let decision = TrustReconciliation.decide(pendingSnapshot, desired: desired, ledger: ledger.pendingLedger)
            planned.editor.apply(decision, to: pending, snapshot: pendingSnapshot, section: "data.pending")
            planned.ledger.pending = HomeAssistantLedger.pendingAdditions(from: decision.ledger)
        }
        return planned
    }

    /// Our own output, planned again with the ledger after it, needs nothing more.
    private static func selfCheck(_ output: [UInt8], path: String, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger,
                                  evidence: [MaskEvidence], options: HomeAssistantPlanOptions) throws(Diagnostic) {
        do {
            let storage = try StorageHTTPFile(bytes: output, file: path)
            try storage.validate()
            let again = edits(storage, desired: desired, ledger: ledger, evidence: evidence, options: options)
            guard again.editor.edits.isEmpty else { throw HomeAssistantPlanner.selfCheckFailure(path) }
        } catch {
            throw HomeAssistantPlanner.selfCheckFailure(path)
        }
    }

    /// The networks of the YAML `http:` block, with their lines: evidence of a lost mask. Best effort:
    /// a block reconcile could not edit still counts, one it cannot read does not.
    static func yamlEvidence(_ input: HomeAssistantInput) -> [MaskEvidence] {
        guard let bytes = input.configurationYAML, let document = try? YAMLDocument.parse(bytes, file: input.configurationPath),
              let block = try? ConfigurationHTTPBlock.locate(in: document, suggestion: "") else { return [] }
        return zip(block.snapshot.proxies, block.proxyItems).compactMap { network, item in
            network.map { MaskEvidence(network: $0, place: "\(input.configurationPath):\(item.start.line)") }
        }
    }
}
