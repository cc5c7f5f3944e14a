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
        // Every marker we write is ASCII, where bytes and characters agree: read those bytewise.
        return comment.utf8.allSatisfy({ $0 < 0x80 }) ? parseASCII(comment) : parseCharacters(comment)
    }

    /// `parse` by characters (a space followed by a combining mark is no separator there).
    static func parseCharacters(_ comment: String) -> Parsed? {
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

    /// `parse` of an ASCII comment, on its bytes (1,000 markers are read on every plan).
    static func parseASCII(_ comment: String) -> Parsed? {
        guard looksLikeMarker(comment) else { return nil }
        let utf8 = Array(comment.utf8.dropFirst(prefix.utf8.count))
        var words: [Range<Int>] = []
        var i = 0
        while i < utf8.count {
            while i < utf8.count && (utf8[i] == 0x20 || utf8[i] == 0x09) { i += 1 }
            let start = i
            while i < utf8.count && utf8[i] != 0x20 && utf8[i] != 0x09 { i += 1 }
            if i > start { words.append(start..<i) }
        }
        guard let name = words.first else { return nil }
        var checksum: String?
        let label = Array("checksum=".utf8)
        if words.count == 2, utf8[words[1]].starts(with: label) {
            let hex = utf8[(words[1].lowerBound + label.count)..<words[1].upperBound]
            if hex.count == 16 && hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
                checksum = String(decoding: hex, as: UTF8.self)
            }
        }
        return Parsed(name: String(decoding: utf8[name], as: UTF8.self), checksum: checksum)
    }
}
