import Certificates

/// The status page as one HTML document: no script, no external resource (the daemon serves it with a
/// Content-Security-Policy that forbids both), bounded in size whatever the gateway declares.
public enum StatusPageHTML {
    /// Bounds of what one page lists (the rest is counted, not shown).
    public static let maxServiceRows = 300, maxHistoryRows = 30, maxChangeLines = 100, maxProblems = 30
    static let maxText = 300

    /// What the daemon must send with the page: nothing loads from anywhere, no script runs.
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    public static func render(_ model: StatusPageModel) -> String {
        let title = "\(model.gateway): what this house exposes"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="60">
            <title>\(e(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>\(e(model.gateway))</h1>
            <p>\(e(summary(model)))</p>
            <p class="muted">Refreshed \(e(model.refreshedAt)) · reloads every minute</p>
            </header>
            <main>
            <section aria-labelledby="map"><h2 id="map">Exposure map</h2>
            \(ExposureMapSVG.render(model))
            </section>
            \(servicesSection(model.services))
            \(pendingSection(model.pending))
            \(historySection(model.history))
            </main>
            </body>
            </html>

            """
    }

    static func summary(_ model: StatusPageModel) -> String {
        let published = model.services.filter { $0.state != .refusedByPolicy }
        let open = published.filter { $0.audience.isWideOpen }.count
        var text = "\(published.count) service\(published.count == 1 ? "" : "s") reachable from the internet"
        if let domain = model.domain { text += " under \(domain)" }
        if open > 0 { text += "; \(open) with no login at all" }
        if let last = model.history.first { text += ". Last reconcile: \(last.outcome.spacedWords) at \(last.at)" }
        return text + "."
    }

    static func servicesSection(_ services: [ServiceEntry]) -> String {
        var rows = ""
        for service in services.prefix(maxServiceRows) {
            let probe: String
            if let result = service.probe {
                let status = result.status.map { "HTTP \($0)" } ?? "no answer"
                probe = "<span class=\"\(result.passed ? "ok" : "bad")\">\(result.passed ? "passed" : "failed") (\(e(status)))</span><br><span class=\"muted\">\(e(result.at))</span>"
            } else {
                probe = "<span class=\"muted\">not probed yet</span>"
            }
            rows += """
                <tr><td data-label="Service"><strong>\(e(service.name))</strong><br><a href="\(e(service.url))">\(e(service.url))</a></td>\
                <td data-label="Who may reach it">\(e(AudienceText.long(service.audience)))</td>\
                <td data-label="State"><span class="state \(service.state.rawValue)">\(e(service.state.title))</span></td>\
                <td data-label="Last probe">\(probe)</td>\
                <td data-label="Certificate">\(certificate(service.certificate))</td></tr>

                """
        }
        let more = services.count > maxServiceRows ? "<p class=\"muted\">… and \(services.count - maxServiceRows) more.</p>" : ""
        return """
            <section aria-labelledby="services"><h2 id="services">Services</h2>
            <table><thead><tr><th>Service</th><th>Who may reach it</th><th>State</th><th>Last probe through Caddy</th><th>Certificate</th></tr></thead>
            <tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"5\">No service is declared.</td></tr>" : rows)</tbody></table>\(more)
            </section>
            """
    }

    static func certificate(_ entry: CertificateEntry?) -> String {
        guard let entry else { return "<span class=\"muted\">not read yet</span>" }
        let until = entry.validUntil.map { until in
            "<br><span class=\"muted\">until \(e(String(until.prefix(10))))\(entry.daysLeft.map { " (\($0) days)" } ?? "")</span>"
        } ?? ""
        let why = entry.evidence.map { "<br><span class=\"muted\">\(e($0))</span>" } ?? ""
        return "<span class=\"\(entry.state.isBad ? "bad" : (entry.state == .notIssued || entry.state == .unknown ? "muted" : "ok"))\">\(e(entry.state.title))</span>\(until)\(why)"
    }

    static func pendingSection(_ pending: PendingPlan?) -> String {
        guard let pending else { return "" }
        let heading = pending.refused ? "Refused commit" : "Waiting to be applied"
        var body = pending.commit.map { "<p>Commit <code>\(e(String($0.prefix(12))))</code></p>" } ?? ""
        if !pending.problems.isEmpty {
            body += "<ul class=\"problems\">"
            for problem in pending.problems.prefix(maxProblems) {
                body += "<li><code>\(e(problem.location))</code> \(e(problem.message))"
                if let hint = problem.hint { body += "<br><span class=\"muted\">\(e(hint))</span>" }
                body += "</li>"
            }
            body += "</ul>"
        }
        if !pending.changes.isEmpty || !pending.refused { body += lines(pending.changes) }
        return "<section aria-labelledby=\"pending\"><h2 id=\"pending\">\(heading)</h2>\(body)</section>"
    }

    static func historySection(_ history: [HistoryEntry]) -> String {
        var rows = ""
        for entry in history.prefix(maxHistoryRows) {
            var commit = entry.commit.map { "<code>\(e(String($0.prefix(12))))</code>" } ?? "—"
            if let subject = entry.commitSubject, !subject.isEmpty { commit += " \(e(subject))" }
            if let signer = entry.signer { commit += "<br><span class=\"muted\">signed by \(e(signer))</span>" }
            var outcome = "<span class=\"outcome \(e(entry.outcome))\">\(e(entry.outcome.spacedWords))</span>"
            if let reason = entry.reason {
                outcome += "<br><code>\(e(reason))</code>"
                if let retryable = entry.retryable { outcome += " <span class=\"muted\">(\(retryable ? "retried next time" : "waits for a new commit"))</span>" }
            }
            var when = e(entry.at)
            if let count = entry.repeated, let since = entry.since { when += "<br><span class=\"muted\">\(count) times since \(e(since))</span>" }
            rows += "<tr><td data-label=\"When\">\(when)</td><td data-label=\"Trigger\">\(e(entry.trigger.rawValue))</td><td data-label=\"Commit\">\(commit)</td><td data-label=\"Outcome\">\(outcome)</td><td data-label=\"What changed\">\(lines(entry.changes))\(steps(entry.steps))</td></tr>\n"
        }
        return """
            <section aria-labelledby="history"><h2 id="history">Last reconciles</h2>
            <table><thead><tr><th>When</th><th>Trigger</th><th>Commit</th><th>Outcome</th><th>What changed</th></tr></thead>
            <tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"5\">No reconcile yet.</td></tr>" : rows)</tbody></table>
            </section>
            """
    }

    /// What the apply ran, each step with why, folded under the changes.
    static func steps(_ steps: [String]?) -> String {
        guard let steps, !steps.isEmpty else { return "" }
        return "<details><summary>what ran (\(steps.count) steps)</summary>\(lines(steps))</details>"
    }

    static func lines(_ changes: [String]) -> String {
        guard !changes.isEmpty else { return "<span class=\"muted\">nothing</span>" }
        var text = "<ul class=\"changes\">" + changes.prefix(maxChangeLines).map { "<li>\(e($0))</li>" }.joined()
        if changes.count > maxChangeLines { text += "<li>… and \(changes.count - maxChangeLines) more</li>" }
        return text + "</ul>"
    }

    static func e(_ text: String) -> String { HTMLText.escape(HTMLText.clipped(text, maxText)) }

    static let style = """
        body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1d2327;background:#fff}\
        h1{margin:.2rem 0;font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem}\
        table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem;border-bottom:1px solid #ddd}\
        .muted{color:#5f6b73;font-size:.9em}.ok{color:#13672d}.bad{color:#a4161a}code{font-size:.9em}\
        .state,.outcome{padding:.1rem .4rem;border-radius:.3rem;background:#eee;white-space:nowrap}\
        .exposed,.applied,.in_sync{background:#d7f2dd}.pending{background:#fff1c2}.failing,.failed,.refused_by_policy{background:#fbd5d5}\
        .maintenance{background:#e4e4e4}.drift_restored{background:#d6e6fb}ul{margin:.2rem 0;padding-left:1.2rem}\
        svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#1d2327}svg .col{font-weight:bold}\
        svg .who{fill:#5f6b73;font-size:10px}.box rect{fill:#f4f6f7;stroke:#5f6b73}.box.caddy rect{fill:#e3ecf7}\
        .box.internet rect{fill:#fdeaea}.box.exposed rect{fill:#d7f2dd}.box.pending rect{fill:#fff1c2}\
        .box.failing rect,.box.refused_by_policy rect{fill:#fbd5d5}.box.maintenance rect{fill:#e4e4e4}.box.drift_restored rect{fill:#d6e6fb}\
        .edge{fill:none;stroke-width:2}.edge.open{stroke:#c0392b}.edge.guarded{stroke:#2e7d32}.edge.cut{stroke:#999;stroke-dasharray:4 4}\
        .edge.internal{stroke:#5f6b73}.cert circle{fill:#999}.cert.valid circle,.cert.renewing circle{fill:#2e7d32}\
        .cert.expired circle,.cert.failing circle{fill:#c0392b}\
        @media (max-width:40rem){table,tbody,tr,td{display:block}thead{display:none}tr{border-bottom:1px solid #ddd;padding:.4rem 0}\
        td{border:0;padding:.15rem 0}td[data-label]::before{content:attr(data-label) ": ";color:#5f6b73;font-size:.85em}}
        """
}
