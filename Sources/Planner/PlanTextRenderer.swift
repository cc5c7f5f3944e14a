import HomeAssistant
import Caddyfile
import Certificates
import Diagnostics

/// The plan as a person reads it: one line per change with its symbol, then why and what it costs.
/// Exposure changes get a line of their own that cannot be missed. What was not reached, and what a target's
/// own software will do, is one line each; `verbose` gives the whole explanation (as `--json` does).
public enum PlanTextRenderer {
    public static func render(_ plan: Plan, diff: Bool = false, verbose: Bool = false) -> String {
        var out = header(plan)
        for target in plan.targets {
            out += "\n\(target.kind.title)  \(target.path)\n"
            if let mode = target.homeAssistantMode, !verbose {
                out += "  \(mode.line)\n"
            } else if let note = target.note {
                out += "  \(note)\n"
            }
            if target.kind == .caddyfile, let caddy = plan.caddy { out += "  Caddy: \(verbose ? caddy.explanation : caddy.line)\n" }
            for note in target.notes { out += "  note: \(verbose ? note.explanation : note.line)\n" }
            if let clients = target.composeClients { out += "  Compose: \(clients.summary)\n" }
            if let syntax = target.renderedFor, !target.changes.isEmpty { out += "  managed blocks written for \(syntax.description)\n" }
            for warning in target.warnings {
                out += warning.code == .engineNotRead && !verbose ? "  Docker engine: not reached; the plan covers the file\n" : "  warning: \(warning)\n"
            }
            if target.changes.isEmpty { out += "  no changes\n" }
            let width = target.changes.map(\.subject.count).max() ?? 0
            var previousReason: String?
            for change in target.changes {
                let padding = String(repeating: " ", count: width - change.subject.count)
                out += "  \(change.kind.symbol) \(change.subject)\(padding)  \(change.summary)\n"
                // A run of changes made for the same reason says it once.
                if change.reason != previousReason { out += "      \(change.reason)\n" }
                previousReason = change.reason
                switch change.exposure {
                case .becomesPublic?:
                    out += "      >>> NEW ON THE INTERNET: \(change.subject) becomes reachable from anywhere <<<\n"
                case .stopsBeingPublic?:
                    out += "      no longer reachable from the internet\n"
                case nil:
                    break
                }
            }
            if !target.changes.isEmpty && !target.restarts.isEmpty {
                out += "  restarts: \(target.restarts.joined(separator: ", "))\n"
                if let restart = target.restart { out += "      \(verbose ? restart.reason : restart.line)\n" }
            }
            if diff, target.writesFile {
                out += "\n" + UnifiedDiff.render(old: target.currentContent ?? [], new: target.newContent ?? [], path: target.path)
            }
        }
        out += certificates(plan.certificates)
        out += "\n" + footer(plan)
        if !verbose && shortened(plan) { out += "`--verbose` explains each short line above (not reached, notes) in full.\n" }
        return out
    }

    /// The live hosts' certificates; nothing when Caddy's data directory is not there to read (a plan from files).
    static func certificates(_ report: CertificateReport?) -> String {
        var out = ""
        if let mount = report?.mountedElsewhere {
            out += "\nCertificates  warning: Caddy's service '\(mount.service)' keeps its data (/data) in \(mount.source) "
                + "(\(mount.composeFile):\(mount.line)), not in \(report?.dataDirectory ?? "?"): set --caddy-data \(mount.source) (caddy_data:) "
                + "so its certificates are read\n"
        }
        guard let report, !report.hosts.isEmpty, report.problem == nil || report.hosts.contains(where: { $0.stored != nil }) else { return out }
        out += "\nCertificates  \(report.dataDirectory)\n"
        if let problem = report.problem { out += "  warning: \(problem)\n" }
        let width = report.hosts.map(\.host.count).max() ?? 0
        for host in report.hosts {
            var line = "  \(host.host)\(String(repeating: " ", count: width - host.host.count))  \(host.state.title)"
            if let stored = host.stored {
                line += " until \(StatusTime(secondsSince1970: stored.facts.notAfter).description.prefix(10))"
                if let days = host.daysLeft, host.state != .expired { line += " (\(days) days)" }
                line += ", \(stored.facts.issuer)"
            }
            out += line + "\n"
            if host.state != .valid && host.state != .renewing {
                for evidence in host.evidence { out += "      \(evidence.text { StatusTime(secondsSince1970: $0).description })\n" }
            }
        }
        return out
    }

    /// Whether the short rendering left an explanation out.
    static func shortened(_ plan: Plan) -> Bool {
        plan.targets.contains { target in
            !target.notes.isEmpty || target.homeAssistantMode != nil || target.warnings.contains { $0.code == .engineNotRead }
                || target.restart.map { $0.line != $0.reason } == true
                || (target.kind == .caddyfile && plan.caddy.map { $0.line != $0.explanation } == true)
        }
    }

    static func header(_ plan: Plan) -> String {
        var line = "Plan for \(plan.desired.domain): desired state \(plan.desired.file)"
        if let commit = plan.desired.commit {
            line += " at \(commit.prefix(12))"
            if let subject = plan.desired.commitSubject { line += " \"\(subject)\"" }
            if plan.desired.uncommitted { line += ", with uncommitted changes to the file" }
        }
        if let signer = plan.desired.signedBy { line += "\n  signature verified: \(signer)" }
        return line + "\n"
    }

    static func footer(_ plan: Plan) -> String {
        guard plan.hasChanges else { return "No changes: the gateway matches the desired state.\n" }
        let count = plan.changeCount
        var line = "\(count) change\(count == 1 ? "" : "s") pending"
        let newlyPublic = plan.targets.flatMap(\.changes).filter { $0.exposure == .becomesPublic }.count
        if newlyPublic > 0 {
            line += "; \(newlyPublic) host\(newlyPublic == 1 ? "" : "s") become\(newlyPublic == 1 ? "s" : "") reachable from the internet"
        }
        return line + ".\nRun `reconcile apply` to make them, or `reconcile --plan --diff` to see every edit.\n"
    }
}
