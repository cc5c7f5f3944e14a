import Adapters
import Certificates
import Controller
import Diagnostics
import Notifications
import Planner
import StatusReport

/// Prints what a reconcile cycle did, the same way for `plan` and `apply`: notes, the plan, what was
/// written, the error if any, and what happened to the status report.
enum CycleOutput {
    /// `isApply`: `apply --json` prints one document of the plan, the journal and the error (`ApplyJSONRenderer`).
    static func print(_ result: ReconcileCycle.Result, settings: ReconcileSettings, output: OutputFormat, isApply: Bool = false) {
        for note in result.notes { printError("note: \(note)") }
        if output.json, isApply {
            // One document on standard output; people still read the error on standard error.
            printOutput(ApplyJSONRenderer.render(result), terminator: "")
        } else {
            if let plan = result.plan {
                printOutput(output.json ? PlanJSONRenderer.render(plan) : PlanTextRenderer.render(plan, diff: output.diff, verbose: output.verbose), terminator: "")
            }
            if let applied = result.applied {
                printOutcome(applied, declaredAt: result.observation?.declaration)
                if let certificates = result.certificates { printCertificates(certificates) }
            }
        }
        if let error = result.error { report(error) }
        printPublication(result, settings: settings, toStandardError: output.json)
        printNotifications(result.notifications)
    }

    /// Notifications are never the reconcile's failure: what arrived and what did not, on standard error.
    static func printNotifications(_ outcome: NotifyStep.Outcome) {
        for delivery in outcome.deliveries {
            if let error = delivery.error {
                printError("warning: \(delivery.kind.rawValue) notification not sent to \(error.description) (after \(delivery.attempts) attempt(s))")
            } else {
                printError("notified \(delivery.target): \(delivery.kind.rawValue)")
            }
        }
        if let error = outcome.memoryError { printError("warning: the notification memory was not saved: \(error.description)") }
    }

    /// What the apply did, step by step, then what is left to the user, then the probes.
    static func printOutcome(_ outcome: ApplyOutcome, declaredAt: ((String) -> String?)?) {
        for entry in outcome.journal {
            printOutput(entry.text)
            if let why = entry.why(declaredAt: declaredAt ?? { _ in nil }) { printOutput("    " + why) }
        }
        for probe in outcome.probes {
            printOutput("probe \(probe.host): \(probe.passed ? "ok" : "FAILED"), \(probe.detail)")
        }
        switch outcome.result {
        case .converged, .applied:
            break
        case .rolledBack:
            printError("ROLLED BACK: \(outcome.failure ?? "the apply failed"); the previous files and config are live again")
            for probe in outcome.rollbackProbes { printError("after rollback, probe \(probe.host): \(probe.detail)") }
        case .rollbackFailed:
            printError("""
                ROLLBACK FAILED: \(outcome.failure ?? "the apply failed"), and putting the old state back failed too: \(outcome.rollbackFailure ?? "")
                Act by hand: the backups are listed above (backup …); copy each over its live file, then reload Caddy
                and restart the services named in the plan.
                """)
        }
    }

    /// Each host's certificate as Caddy's storage holds it after the apply, and why when it is not valid.
    static func printCertificates(_ report: CertificateReport) {
        let time = { (seconds: Int64) in StatusTime(secondsSince1970: seconds).description }
        for host in report.hosts {
            var line = "certificate \(host.host): \(host.state.title)"
            if let stored = host.stored { line += " until \(time(stored.facts.notAfter)), \(stored.facts.issuer)" }
            if host.state != .valid, let first = host.evidence.first { line += " (\(first.text(time: time)))" }
            printOutput(line)
        }
    }

    static func printPublication(_ result: ReconcileCycle.Result, settings: ReconcileSettings, toStandardError: Bool) {
        let write: (String) -> Void = toStandardError ? { printError($0) } : { printOutput($0) }
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
