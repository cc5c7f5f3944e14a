import Diagnostics
import YAMLEdit

/// YAML mode: a surgical edit of the top-level `http:` of configuration.yaml.
enum YAMLModePlanner {
    static func plan(_ input: HomeAssistantInput, desired: ProxyTrustPolicy?, ledger: HomeAssistantLedger,
                     detection: ModeDetection, adopt: Bool = false) throws(Diagnostic) -> HomeAssistantEdit {
        let path = input.configurationPath
        guard let bytes = input.configurationYAML else {
            if desired == nil {
                // Pruning a file that is gone: nothing of ours is left anywhere.
                return HomeAssistantPlanner.unchanged(mode: .yaml, reason: detection.reason,
                                                      warnings: detection.warnings + ["\(path) does not exist; nothing to remove"], ledger: .empty)
            }
            throw Diagnostic(file: path, position: nil, message: "configuration.yaml not found",
                             hint: "check the Home Assistant config directory reconcile is given; Home Assistant creates this file at its first start")
        }
        let suggestion = HomeAssistantPlanner.suggestion(desired)
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: path)
        } catch {
            var diagnostic = error
            diagnostic.hint = diagnostic.hint ?? "Home Assistant cannot load this file either; fix it there, then run reconcile again (nothing is changed until then)"
            throw diagnostic
        }
        let block = try ConfigurationHTTPBlock.locate(in: document, suggestion: suggestion)
        var decision = TrustReconciliation.decide(block.snapshot, desired: desired, ledger: ledger)
        if desired != nil, case .absent = block.placement { decision.ledger.createdHTTPBlock = true }
        decision.ledger.pending = nil  // only storage mode has a pending configuration

        var editor = ConfigurationEditor(block: block, decision: decision)
        try editor.run(removeCreatedBlock: desired == nil && ledger.createdHTTPBlock)
        let warnings = detection.warnings + [TrustReconciliation.broadEntryWarning(block.snapshot, place: path)].compactMap { $0 }
        var adopted: [HomeAssistantSettingChange] = []
        var adoptable: [HomeAssistantSettingChange] = []
        if let desired, let adoption = TrustAdoption.adoptable(block, desired: desired, ledger: decision.ledger, file: path) {
            if adopt {
                decision.ledger = adoption.ledger
                adopted = adoption.changes
            } else {
                adoptable = adoption.changes
            }
        }
        guard !editor.edits.isEmpty else {
            // Adoption alone writes nothing and restarts nothing: only the ledger changes.
            var edit = HomeAssistantEdit(mode: .yaml, modeReason: detection.reason, newConfigurationYAML: nil, newStorageHTTP: nil,
                                         changes: adopted, warnings: warnings, needsRestart: false, mustStopBeforeWriting: false,
                                         ledger: decision.ledger)
            edit.notes = detection.notes
            edit.adoptable = adoptable
            return edit
        }
        let output = TextEdit.apply(TextEdit.coalescingInsertions(editor.edits), to: bytes)
        try selfCheck(output, path: path, suggestion: suggestion, desired: desired, ledger: decision.ledger)
        var edit = HomeAssistantEdit(mode: .yaml, modeReason: detection.reason, newConfigurationYAML: output, newStorageHTTP: nil,
                                     changes: editor.changes + adopted, warnings: warnings, needsRestart: true,
                                     mustStopBeforeWriting: false, ledger: decision.ledger)
        edit.notes = detection.notes
        edit.adoptable = adoptable
        return edit
    }

    private static func selfCheck(_ output: [UInt8], path: String, suggestion: String, desired: ProxyTrustPolicy?,
                                  ledger: HomeAssistantLedger) throws(Diagnostic) {
        do {
            let block = try ConfigurationHTTPBlock.locate(in: try YAMLDocument.parse(output, file: path), suggestion: suggestion)
            if !TrustReconciliation.decide(block.snapshot, desired: desired, ledger: ledger).isEmpty {
                throw HomeAssistantPlanner.selfCheckFailure(path)
            }
        } catch {
            throw HomeAssistantPlanner.selfCheckFailure(path)
        }
    }
}
