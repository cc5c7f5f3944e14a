/// `status.md`: the report for people, readable as plain text and rendered by Git forges (tables, and a
/// Mermaid diagram of internet → Caddy → services).
public enum StatusMarkdown {
    public static func render(_ report: StatusReport) -> String {
        var out = "# Gateway \(MarkdownText.cell(report.gateway)): \(report.outcome.title)\n\n"
        out += "| | |\n|---|---|\n"
        out += "| Desired commit | \(commit(report.desired)) |\n"
        out += "| Last applied | \(commit(report.lastApplied)) |\n"
        if let source = report.source {
            var text = MarkdownText.code(source.repository)
            if let branch = source.branch { text += ", branch \(MarkdownText.code(branch))" }
            text += ", file \(MarkdownText.code(source.file))"
            out += "| Source | \(text) |\n"
        }
        if let domain = report.domain { out += "| Domain | \(MarkdownText.cell(domain)) |\n" }
        out += "| Result | \(report.result) |\n"
        out += "| Checked at | \(report.checkedAt) |\n"

        if let error = report.error {
            out += "\n## Error\n\n" + MarkdownText.block(error)
        }

        out += "\n## Services\n\n"
        if report.services.isEmpty {
            out += report.outcome == .failed && report.targets.isEmpty ? "Unknown: the reconcile stopped before planning.\n" : "None declared.\n"
        } else {
            out += "| Service | State | Address | Upstream | Reason |\n|---|---|---|---|---|\n"
            for service in report.services {
                out += "| \(MarkdownText.cell(service.name)) | \(service.state.rawValue) | \(MarkdownText.cell(service.address ?? "")) "
                out += "| \(MarkdownText.cell(service.upstream ?? "")) | \(MarkdownText.cell(service.reason ?? "")) |\n"
            }
        }

        if let certificates = report.certificates, !certificates.isEmpty {
            out += "\n## Certificates\n\n| Host | State | Valid until | Issuer | Evidence |\n|---|---|---|---|---|\n"
            for certificate in certificates {
                out += "| \(MarkdownText.cell(certificate.host)) | \(certificate.state.replacing("_", with: " ")) "
                out += "| \(certificate.notAfter.map { "\($0)" } ?? "") | \(MarkdownText.cell(certificate.issuer ?? "")) "
                out += "| \(MarkdownText.cell(certificate.evidence.joined(separator: "; "))) |\n"
            }
        }

        if !report.targets.isEmpty {
            out += "\n## Targets\n\n| Target | State | Changes | File | Note |\n|---|---|---|---|---|\n"
            for target in report.targets {
                out += "| \(MarkdownText.cell(target.name)) | \(target.state.rawValue.replacing("_", with: " ")) | \(target.changes) "
                out += "| \(MarkdownText.code(target.path)) | \(MarkdownText.cell(target.note ?? "")) |\n"
            }
        }

        if let steps = report.lastApplySteps, !steps.isEmpty {
            out += "\n## What the last apply did\n\n"
            for step in steps { out += "1. \(MarkdownText.cell(step))\n" }
        }

        if !report.warnings.isEmpty {
            out += "\n## Warnings\n\n"
            for warning in report.warnings { out += "- \(MarkdownText.cell(warning))\n" }
        }

        out += "\n## Diagram\n\n" + MarkdownText.block(MermaidDiagram.render(report).dropLast().description, language: "mermaid")
        return out
    }

    static func commit(_ commit: StatusCommit?) -> String {
        guard let commit else { return "none" }
        return "\(MarkdownText.code(commit.short)) \(MarkdownText.cell(commit.subject))"
    }

}
