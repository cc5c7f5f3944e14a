import YAMLEdit

/// How a JSON file is laid out, so the members and lists we write look like Home Assistant's own
/// (2-space indent, `"key": value`, one list item per line) or like whatever the file uses.
struct StorageJSONLayout {
    let bytes: [UInt8]
    let newline: String
    /// Spaces per level; 0 for a single-line (compact) file.
    let unit: Int
    /// Between a key and its value, e.g. `": "`.
    let separator: String

    init(bytes: [UInt8], root: JSONNode) {
        self.bytes = bytes
        let lines = SourceLines(bytes)
        newline = lines.lineEnding
        if let first = root.members?.first, !lines.onlyWhitespaceBefore(first.keyRange.lowerBound) {
            unit = 0
        } else if let first = root.members?.first {
            unit = first.keyRange.lowerBound - lines.lineStart(of: first.keyRange.lowerBound)
        } else {
            unit = 2
        }
        if let first = root.members?.first {
            let between = String(decoding: bytes[first.keyRange.upperBound..<first.value.range.lowerBound], as: UTF8.self)
            separator = between.allSatisfy { $0 == " " || $0 == ":" } ? between : ": "
        } else {
            separator = ": "
        }
    }

    var compact: Bool { unit == 0 }

    /// Indentation of the line holding `offset` (in spaces).
    func indentation(at offset: Int) -> Int { SourceLines(bytes).indentation(ofLineAt: offset) }

    func pad(_ count: Int) -> String { String(repeating: " ", count: count) }

    /// A list value for a member whose key line is indented `indent`; `singleLine` keeps a one-line list one line.
    func array(_ items: [String], indent: Int, singleLine: Bool = false) -> String {
        guard !items.isEmpty else { return "[]" }
        if compact || singleLine { return "[" + items.joined(separator: compact ? "," : ", ") + "]" }
        return "[" + newline + items.map { pad(indent + unit) + $0 }.joined(separator: "," + newline) + newline + pad(indent) + "]"
    }

    /// `"key": value` as a member line's text (without indentation).
    func member(_ key: String, _ value: String) -> String { JSONRendering.string(key) + separator + value }
}

enum JSONRendering {
    /// A JSON string literal, escaping what JSON requires (non-ASCII stays as is, as Home Assistant writes it).
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
