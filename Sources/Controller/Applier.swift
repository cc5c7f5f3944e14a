import Adapters
import Planner

/// What an apply did, for the CLI and (later) the status report.
public struct ApplyResult: Sendable {
    public var plan: Plan
    public var written: [String]
    public var backups: [String]
}

/// Executes a plan's file writes: back up, then write atomically, target by target.
/// `--no-runtime`: no reload, no restart; those are the apply engine's job.
public enum Applier {
    public static func applyFiles(_ plan: Plan, stateDir: String) throws(ReconcileError) -> ApplyResult {
        let store = BackupStore(directory: stateDir + "/backups")
        var written: [String] = []
        var backups: [String] = []
        for target in plan.targets where target.writesFile {
            guard let content = target.newContent else { continue }
            do {
                if let current = target.currentContent {
                    backups.append(try store.save(current, of: target.path))
                }
                try AtomicFileWriter.write(content, to: target.path)
                written.append(target.path)
            } catch {
                throw .world(error.description + (written.isEmpty ? "" : " (already written: \(written.joined(separator: ", ")))"))
            }
        }
        try LedgerStore.save(plan.ledger, stateDir: stateDir)
        return ApplyResult(plan: plan, written: written, backups: backups)
    }
}
