/// Text made safe for HTML and SVG: element content and double-quoted attribute values alike.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters have no place on the page (and some are invalid in HTML).
                if character.value < 0x20, character != "\n", character != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(character) }
            }
        }
        return out
    }

    /// At most `limit` characters, with an ellipsis when cut: the page stays bounded whatever it is fed.
    static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

extension String {
    /// `in_sync` → `in sync`: machine names read as words.
    var spacedWords: String { String(map { $0 == "_" ? " " : $0 }) }
}
