import Diagnostics

/// `reconcile status --all`: one line per gateway from the status branch, then what failed and why.
public enum FleetStatus {
    public static func render(_ reports: [StatusReport]) -> String {
        guard !reports.isEmpty else { return "No gateway has published a status yet.\n" }
        let sorted = reports.sorted { $0.gateway < $1.gateway }
        var rows = [["GATEWAY", "OUTCOME", "DESIRED", "APPLIED", "SERVICES", "CHECKED"]]
        for report in sorted {
            let services = report.serviceCounts
            rows.append([report.gateway, report.outcome.title, report.desired?.short ?? "-", report.lastApplied?.short ?? "-",
                         services.isEmpty ? "-" : services, report.checkedAt.description])
        }
        // Any gateway can write the status branch: what it wrote is printed as text, never as terminal commands.
        var out = TextTable.render(rows)
        let failed = sorted.filter { $0.outcome == .failed }
        if !failed.isEmpty {
            out += "\n"
            for report in failed {
                let reason = report.error?.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no reason recorded"
                out += TerminalText.escaped("\(report.gateway): \(reason)") + "\n"
            }
        }
        let behind = sorted.filter { $0.outcome != .failed && $0.desired != nil && $0.desired?.id != $0.lastApplied?.id }
        for report in behind { out += TerminalText.escaped("\(report.gateway): has not applied \(report.desired!.short) yet") + "\n" }
        return out
    }
}
