/// The comment line that claims the site block below it:
/// `# managed by reconcile: NAME checksum=HEX`.
enum Marker {
    static let prefix = "# managed by reconcile:"

    struct Parsed: Equatable {
        var name: String
        /// nil when the line carries no well-formed `checksum=` (then the block counts as edited).
        var checksum: String?
    }

    static func line(name: String, checksum: String) -> String {
        "\(prefix) \(name) checksum=\(checksum)"
    }

    /// Whether a comment claims to be a marker at all (it may still be malformed).
    static func looksLikeMarker(_ comment: String) -> Bool {
        comment.hasPrefix(prefix)
    }

    /// The name and checksum of a marker comment; nil if it names nothing.
    static func parse(_ comment: String) -> Parsed? {
        guard looksLikeMarker(comment) else { return nil }
        let words = comment.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let name = words.first else { return nil }
        var checksum: String?
        if words.count == 2, words[1].hasPrefix("checksum=") {
            let hex = words[1].dropFirst("checksum=".count)
            if hex.count == 16 && hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) { checksum = String(hex) }
        }
        return Parsed(name: String(name), checksum: checksum)
    }
}
