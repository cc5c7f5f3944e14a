/// Lines of users' files that `--diff` shows as context may hold secrets reconcile has no business
/// printing: a bcrypt hash in a `basicauth` block (plain or base64), a `password:`/`token:` value, a
/// `SECRET=` in a compose environment, the value of an `Authorization` or `Cookie` header in a Caddyfile. They are masked in every diff line; the files themselves are never changed.
public enum SecretRedaction {
    public static let mask = "‹hidden by reconcile›"

    /// `$2a$14$` + 53 characters: what `caddy hash-password` writes.
    nonisolated(unsafe) private static let bcrypt = try! Regex(#"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}"#)
    /// A key or variable whose name says secret, then `:` or `=`, then a value (a `!secret` reference
    /// names a secret without holding it, and is kept).
    nonisolated(unsafe) private static let namedSecret = try! Regex(
        #"(?i)((?:[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*)"?\s*[:=]\s*)(?!!secret\b)("[^"]*"|'[^']*'|[^\s#,}\]]+)"#)

    /// The same hash base64-encoded, as Caddy before 2.8 took it in `basicauth` (`$2a$`, `$2b$`, … → `JDJh`, `JDJi`, …).
    nonisolated(unsafe) private static let bcryptBase64 = try! Regex(#"JDJ[hiy4]J[A-Za-z0-9+/]{70,}={0,2}"#)
    /// A Caddyfile line that sets a credential-bearing header (`header_up Authorization "Bearer …"`,
    /// `request_header Cookie …`, or `Authorization "Basic …"` inside a `header { }` block): everything after
    /// the header's name is its value.
    nonisolated(unsafe) private static let credentialHeader = try! Regex(
        #"(?i)^(\s*(?:(?:header_up|header_down|header|request_header)\s+)?[+>?]?(?:proxy-)?(?:authorization|cookie|set-cookie|x-api-key|x-auth-token|api-key|[a-z0-9-]*(?:token|secret)[a-z0-9-]*)\s+)(.+?)(\s*(?:\{|#.*)?)$"#)

    public static func line(_ text: String) -> String {
        // A cheap look first: most lines of a diff hold none of these.
        let hints = ["$2", "JDJ", "eader", "uthoriz", "UTHORIZ", "ookie", "OOKIE", "oken", "OKEN", "ecret", "ECRET", "-key", "-Key", "-KEY"]
        guard text.contains(where: { $0 == ":" || $0 == "=" }) || hints.contains(where: text.contains) else { return text }
        var result = text.replacing(bcrypt, with: mask).replacing(bcryptBase64, with: mask)
        if let match = result.firstMatch(of: credentialHeader), let value = match.output[2].range {
            result = String(result[..<value.lowerBound]) + mask + result[value.upperBound...]
        }
        return redactNamed(result)
    }

    private static func redactNamed(_ text: String) -> String {
        var out = ""
        var rest = text[...]
        while let match = rest.firstMatch(of: namedSecret) {
            let valueStart = match.output[2].range!.lowerBound
            out += rest[rest.startIndex..<valueStart] + mask
            rest = rest[match.range.upperBound...]
        }
        return out + rest
    }
}
