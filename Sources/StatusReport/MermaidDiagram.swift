/// The path from the internet to each service, as a Mermaid `flowchart LR` that Git forges render:
/// internet → Caddy → one node per service, coloured by its state. Services no longer published are left
/// out; a failed one that is not live hangs off Caddy with a dotted edge.
public enum MermaidDiagram {
    public static func render(_ report: StatusReport) -> String {
        var lines = ["flowchart LR"]
        lines.append("    internet((\"Internet\"))")
        let caddyLabel = report.domain.map { "Caddy<br/>\(MarkdownText.mermaid($0))" } ?? "Caddy"
        lines.append("    caddy[\"\(caddyLabel)\"]")
        lines.append("    internet -->|\"443\"| caddy")
        let shown = report.services.filter { $0.published || $0.state == .failed }
        if shown.isEmpty {
            lines.append("    none[\"no service exposed\"]")
            lines.append("    caddy -.- none")
        }
        var classes: [ServiceStatus.State: [String]] = [:]
        for (index, service) in shown.enumerated() {
            let id = "s\(index + 1)"
            var label = MarkdownText.mermaid(service.name)
            if let upstream = service.upstream { label += "<br/>" + MarkdownText.mermaid(upstream) }
            label += "<br/><i>\(service.state.rawValue)</i>"
            lines.append("    \(id)[\"\(label)\"]")
            let host = service.address.map { $0.replacing("https://", with: "") } ?? service.name
            let arrow = service.published ? "-->" : "-.->"
            lines.append("    caddy \(arrow)|\"\(MarkdownText.mermaid(host))\"| \(id)")
            classes[service.state, default: []].append(id)
        }
        for state in [ServiceStatus.State.exposed, .changed, .pending, .drifted, .failed] {
            guard let ids = classes[state] else { continue }
            lines.append("    class \(ids.joined(separator: ",")) \(state.rawValue)")
        }
        lines.append("    classDef exposed fill:#e6f4ea,stroke:#1e8e3e,color:#0d652d")
        lines.append("    classDef changed fill:#e8f0fe,stroke:#1a73e8,color:#174ea6")
        lines.append("    classDef pending fill:#fef7e0,stroke:#f9ab00,color:#7a4f01")
        lines.append("    classDef drifted fill:#feefe3,stroke:#e8710a,color:#8a3d00")
        lines.append("    classDef failed fill:#fce8e6,stroke:#d93025,color:#a50e0e")
        return lines.joined(separator: "\n") + "\n"
    }
}
