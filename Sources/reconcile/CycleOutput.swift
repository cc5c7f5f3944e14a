import Controller
import Planner

/// Prints what a reconcile cycle did, the same way for `plan` and `apply`: notes, the plan, what was
/// written, the error if any, and what happened to the status report.
enum CycleOutput {
    static func print(_ result: ReconcileCycle.Result, settings: ReconcileSettings, output: OutputOptions) {
        for note in result.notes { printError("note: \(note)") }
        if let plan = result.plan {
            Swift.print(output.json ? PlanJSONRenderer.render(plan) : PlanTextRenderer.render(plan, diff: output.diff), terminator: "")
        }
        if let applied = result.applied, applied.plan.hasChanges {
            for path in applied.written { Swift.print("wrote \(path)") }
            for path in applied.backups { Swift.print("backup \(path)") }
            let restarts = applied.plan.targets.flatMap(\.changes).flatMap(\.restarts)
            if !restarts.isEmpty {
                Swift.print("not done (--no-runtime): restart \(Set(restarts).sorted().joined(separator: ", ")) for the change to take effect")
            }
            if applied.plan.targets.contains(where: { $0.kind == .caddyfile && $0.writesFile }) {
                Swift.print("not done (--no-runtime): reload Caddy to serve the new Caddyfile")
            }
        }
        if let error = result.error { report(error) }
        printPublication(result, settings: settings, toStandardError: output.json)
    }

    static func printPublication(_ result: ReconcileCycle.Result, settings: ReconcileSettings, toStandardError: Bool) {
        let write: (String) -> Void = toStandardError ? { printError($0) } : { Swift.print($0) }
        if let error = result.reportError {
            printError("error: the status report was not published: \(error.description)\nThe next run retries.")
            return
        }
        guard let publication = result.publication else { return }
        let retries = publication.retries == 1 ? "1 retry" : "\(publication.retries) retries"
        if let commit = publication.commit {
            write("status: committed \(commit.prefix(12)) to \(settings.statusBranch) (status/\(settings.gateway)/) after \(retries)")
        } else {
            write("status: unchanged since the last published report; no commit (\(retries))")
        }
    }
}
