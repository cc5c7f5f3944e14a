import EssentialsExtras
import FoundationEssentials

/// Where Caddy (certmagic) keeps a host's certificate in its data directory, and what its metadata says.
public enum CaddyCertificateLayout {
    /// `caddy/certificates`, under Caddy's data directory (`/data` in its container).
    public static let certificatesFolder = "caddy/certificates"

    /// The folder and file stem for a host: certmagic writes `*` as `wildcard_`, lower-case.
    public static func stem(for host: String) -> String {
        host.lowercased().replacing("*", with: "wildcard_")
    }

    /// The names a host may be stored under: its own, then the wildcard one label up.
    public static func stems(for host: String) -> [String] {
        let host = host.lowercased()
        guard let dot = host.firstIndex(of: "."), host[host.index(after: dot)...].contains(".") else { return [stem(for: host)] }
        return [stem(for: host), stem(for: "*" + host[dot...])]
    }

    /// The CA's suggested renewal start from a certificate's `.json` metadata (ACME renewal info:
    /// `issuer_data.renewal_info.suggestedWindow.start`), if it holds one.
    public static func suggestedRenewalStart(metadata bytes: [UInt8]) -> Int64? {
        guard let start = JSONValue.parse(bytes)?["issuer_data"]?["renewal_info"]?["suggestedWindow"]?["start"]?.string
        else { return nil }
        return RFC3339.seconds(start)
    }
}

/// One line of Caddy's log saying it could not get a host's certificate.
public struct CaddyLogFailure: Sendable, Hashable {
    /// When Caddy wrote it (its `ts`, Unix seconds), when the line says.
    public var at: Int64?
    public var message: String

    public init(at: Int64?, message: String) {
        self.at = at
        self.message = message
    }
}

/// Caddy's log lines (its default JSON format) that say it could not get a certificate for a host.
public enum CaddyCertificateLog {
    /// For each host, its failing lines, oldest first, at most `limit` each.
    public static func failures(in log: String, hosts: Set<String>, limit: Int = 3) -> [String: [CaddyLogFailure]] {
        var found: [String: [CaddyLogFailure]] = [:]
        for line in log.split(whereSeparator: \.isNewline) where line.hasPrefix("{") && line.contains("\"identifier\"") {
            guard let object = JSONValue.parse(line.utf8)?.object,
                  let identifier = object["identifier"]?.string?.lowercased(), hosts.contains(identifier),
                  let level = object["level"]?.string, level == "error" || level == "warn",
                  let message = object["msg"]?.string, isFailure(message) else { continue }
            var text = message
            if let detail = object["error"]?.string ?? object["problem"]?["detail"]?.string {
                text += ": " + detail
            }
            let at = object["ts"]?.double.map { Int64($0) }
            if found[identifier, default: []].count < limit {
                found[identifier, default: []].append(CaddyLogFailure(at: at, message: String(text.prefix(300))))
            }
        }
        return found
    }

    /// certmagic's words for an attempt that failed (it retries by itself; we only report).
    static func isFailure(_ message: String) -> Bool {
        ["could not get certificate", "challenge failed", "obtain", "will retry", "validating authorization"].contains { message.contains($0) }
    }
}

/// RFC 3339 times as certmagic writes them (`2026-12-07T10:00:00.123456789Z`, or with an offset).
enum RFC3339 {
    static func seconds(_ text: String) -> Int64? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            return Int64(date.timeIntervalSince1970)
        }
        // Nanoseconds are beyond the formatter: drop the fraction.
        var plain = text
        if let dot = plain.firstIndex(of: "."), let end = plain[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            plain.removeSubrange(dot..<end)
        }
        return (try? Date.ISO8601FormatStyle().parse(plain)).map { Int64($0.timeIntervalSince1970) }
    }
}
