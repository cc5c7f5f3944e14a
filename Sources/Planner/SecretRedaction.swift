/// Lines of users' files that `--diff` shows as context may hold secrets reconcile has no business
/// printing: a bcrypt hash in a `basicauth` block, a `password:`/`token:` value, a `SECRET=` in a
/// compose environment. They are masked in every diff line; the files themselves are never changed.
public enum SecretRedaction {
    public static let mask = "‹hidden by reconcile›"

    /// `$2a$14$` + 53 characters: what `caddy hash-password` writes.
    nonisolated(unsafe) private static let bcrypt = try! Regex(#"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}"#)
    /// A key or variable whose name says secret, then `:` or `=`, then a value (a `!secret` reference
    /// names a secret without holding it, and is kept).
    nonisolated(unsafe) private static let namedSecret = try! Regex(
        #"(?i)((?:[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*)"?\s*[:=]\s*)(?!!secret\b)("[^"]*"|'[^']*'|[^\s#,}\]]+)"#)

    public static func line(_ text: String) -> String {
        guard text.contains("$2") || text.contains(where: { $0 == ":" || $0 == "=" }) else { return text }
        let result = text.replacing(bcrypt, with: mask)
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
