import Diagnostics

/// `reconcile status` on a terminal: the report as plain text, in columns. `status.md` is the same report
/// for a Git forge (Markdown, escaped for its tables, with a Mermaid diagram); a terminal shows neither.
public enum StatusText {
    public static func render(_ report: StatusReport) -> String {
        var facts = [["Desired commit", commit(report.desired)], ["Last applied", commit(report.lastApplied)]]
        if let source = report.source {
            var text = source.repository
            if let branch = source.branch { text += ", branch \(branch)" }
            facts.append(["Source", text + ", file \(source.file)"])
        }
        if let domain = report.domain { facts.append(["Domain", domain]) }
        facts.append(["Result", report.result])
        facts.append(["Checked at", report.checkedAt.description])
        var out = TerminalText.escaped("Gateway \(report.gateway): \(report.outcome.title)") + "\n" + TextTable.render(facts, indent: "  ")

        if let error = report.error {
            out += "\nError\n" + TerminalText.escaped(indented(error), keepingLines: true)
        }

        out += "\nServices\n"
        if report.services.isEmpty {
            out += report.outcome == .failed && report.targets.isEmpty ? "  unknown: the reconcile stopped before planning\n" : "  none declared\n"
        } else {
            let rows = report.services.map { [$0.name, $0.state.rawValue, $0.address ?? "", $0.upstream ?? "", $0.reason ?? ""] }
            out += TextTable.render([["SERVICE", "STATE", "ADDRESS", "UPSTREAM", "REASON"]] + rows, indent: "  ")
        }

        if let certificates = report.certificates, !certificates.isEmpty {
            let rows = certificates.map { certificate in
                [certificate.host, certificate.state.replacing("_", with: " "), certificate.notAfter?.description ?? "",
                 certificate.issuer ?? "", certificate.evidence.joined(separator: "; ")]
            }
            out += "\nCertificates\n" + TextTable.render([["HOST", "STATE", "VALID UNTIL", "ISSUER", "EVIDENCE"]] + rows, indent: "  ")
        }

        if !report.targets.isEmpty {
            let rows = report.targets.map { target in
                [target.name, target.state.rawValue.replacing("_", with: " "), "\(target.changes)", target.path, target.note ?? ""]
            }
            out += "\nTargets\n" + TextTable.render([["TARGET", "STATE", "CHANGES", "FILE", "NOTE"]] + rows, indent: "  ")
        }

        if !report.warnings.isEmpty {
            out += "\nWarnings\n"
            for warning in report.warnings { out += TerminalText.escaped(indented(warning, bullet: "- "), keepingLines: true) }
        }
        return out
    }

    static func commit(_ commit: StatusCommit?) -> String {
        guard let commit else { return "none" }
        return "\(commit.short) \(commit.subject)"
    }

    /// Each line of `text` two spaces in (the first after `bullet`).
    static func indented(_ text: String, bullet: String = "") -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.enumerated().map { index, line in
            (index == 0 ? "  " + bullet : "  " + String(repeating: " ", count: bullet.count)) + line
        }.joined(separator: "\n") + "\n"
    }
}
