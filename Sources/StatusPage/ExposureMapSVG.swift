import Certificates

/// The exposure map, drawn on the server: internet → Caddy → each service → its compose service.
/// Inline SVG: no script, no external reference, readable without JavaScript.
public enum ExposureMapSVG {
    /// More services than this are summed up in one line: the page stays bounded.
    public static let maxServices = 60

    // Narrow enough that a phone shows the text at a readable size.
    static let rowHeight = 42, top = 36, width = 560
    static let internetX = 4, caddyX = 112, serviceX = 236, composeX = 452
    static let boxWidth = 96, serviceWidth = 196, boxHeight = 32

    public static func render(_ model: StatusPageModel) -> String {
        let shown = Array(model.services.prefix(maxServices))
        let hidden = model.services.count - shown.count
        let rows = max(shown.count, 1) + (hidden > 0 ? 1 : 0)
        let height = top + rows * rowHeight + 10
        let middle = top + (max(shown.count, 1) * rowHeight) / 2 - boxHeight / 2
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-labelledby="map-title">
            <title id="map-title">Exposure map: the internet reaches Caddy, which serves \(shown.count + hidden) service(s)</title>
            <text x="\(internetX)" y="20" class="col">Internet</text><text x="\(caddyX)" y="20" class="col">Caddy</text>
            <text x="\(serviceX)" y="20" class="col">Services</text><text x="\(composeX)" y="20" class="col">Compose</text>
            \(box(x: internetX, y: middle, width: boxWidth, label: "internet", kind: "internet"))
            \(line(from: (internetX + boxWidth, middle + boxHeight / 2), to: (caddyX, middle + boxHeight / 2), kind: "open"))
            \(box(x: caddyX, y: middle, width: boxWidth, label: "Caddy :443", kind: "caddy"))

            """
        for (index, service) in shown.enumerated() {
            let y = top + index * rowHeight
            let published = service.state != .refusedByPolicy
            svg += line(from: (caddyX + boxWidth, middle + boxHeight / 2), to: (serviceX, y + boxHeight / 2),
                        kind: published ? (service.audience.isWideOpen ? "open" : "guarded") : "cut")
            let host = service.url.hasPrefix("https://") ? String(service.url.dropFirst(8)) : service.url
            let certificate = service.certificate.map { "; certificate \($0.state.title)" } ?? ""
            svg += box(x: serviceX, y: y, width: serviceWidth, label: HTMLText.clipped(host, 28), kind: service.state.rawValue,
                       tooltip: "\(service.name): \(service.state.title)\(certificate)", detail: AudienceText.short(service.audience))
            if let entry = service.certificate {
                svg += lock(x: serviceX + serviceWidth - 16, y: y + 4, state: entry.state)
            }
            if let compose = service.composeService {
                svg += line(from: (serviceX + serviceWidth, y + boxHeight / 2), to: (composeX, y + boxHeight / 2), kind: "internal")
                svg += box(x: composeX, y: y, width: boxWidth, label: HTMLText.clipped(compose, 12), kind: "compose")
            }
        }
        if shown.isEmpty {
            svg += "<text x=\"\(serviceX)\" y=\"\(top + boxHeight / 2)\" class=\"who\">no service is declared</text>\n"
        }
        if hidden > 0 {
            svg += "<text x=\"\(serviceX)\" y=\"\(top + shown.count * rowHeight + boxHeight / 2)\" class=\"who\">… and \(hidden) more (see the table)</text>\n"
        }
        return svg + "</svg>"
    }

    /// A box with its label, and a second, smaller line (who may reach the service) when given.
    static func box(x: Int, y: Int, width: Int, label: String, kind: String, tooltip: String? = nil, detail: String? = nil) -> String {
        let title = tooltip.map { "<title>\(HTMLText.escape($0))</title>" } ?? ""
        var text = "<text x=\"\(x + 8)\" y=\"\(y + (detail == nil ? 21 : 14))\">\(HTMLText.escape(label))</text>"
        if let detail { text += "<text x=\"\(x + 8)\" y=\"\(y + 27)\" class=\"who\">\(HTMLText.escape(detail))</text>" }
        return "<g class=\"box \(kind)\">\(title)<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(boxHeight)\" rx=\"6\"/>\(text)</g>\n"
    }

    /// The certificate's mark at a service box's corner: a filled dot, coloured by state, with its words as title.
    static func lock(x: Int, y: Int, state: CertificateEntry.State) -> String {
        "<g class=\"cert \(state.rawValue)\"><title>certificate \(HTMLText.escape(state.title))</title><circle cx=\"\(x + 5)\" cy=\"\(y + 5)\" r=\"5\"/></g>\n"
    }

    static func line(from: (Int, Int), to: (Int, Int), kind: String) -> String {
        "<path class=\"edge \(kind)\" d=\"M\(from.0) \(from.1) C\(from.0 + 40) \(from.1) \(to.0 - 40) \(to.1) \(to.0) \(to.1)\"/>\n"
    }
}

/// How the page words an audience.
enum AudienceText {
    static func short(_ audience: Audience) -> String {
        var parts: [String] = []
        switch audience.reach {
        case .internet: parts.append("everyone")
        case .lan: parts.append("LAN")
        case .networks(let list): parts.append(list.count == 1 ? list[0] : "\(list.count) networks")
        }
        if audience.passwordUsers > 0 { parts.append("password") }
        if audience.ownLogin { parts.append("own login") }
        return parts.joined(separator: " + ")
    }

    static func long(_ audience: Audience) -> String {
        var text: String
        switch audience.reach {
        case .internet: text = "anyone on the internet"
        case .lan: text = "the home network only"
        case .networks(let list): text = "only " + list.joined(separator: ", ")
        }
        if audience.passwordUsers > 0 {
            text += ", with a password (\(audience.passwordUsers) user\(audience.passwordUsers == 1 ? "" : "s"))"
        }
        if audience.ownLogin { text += ", then the service's own login" }
        if audience.isWideOpen { text += ", with no login at all" }
        return text
    }
}
