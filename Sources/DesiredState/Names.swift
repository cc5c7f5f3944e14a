/// The character-level rules for every name that can reach a Caddyfile or a compose file.
/// They are allow-lists: anything else (newline, `{`, `}`, `#`, quotes, spaces, …) is rejected.
enum Names {
    static func isDNSLabel(_ label: Substring, allowUnderscore: Bool = false) -> Bool {
        guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-" else { return false }
        return label.utf8.allSatisfy { byte in
            isLowerAlnum(byte) || byte == UInt8(ascii: "-") || (allowUnderscore && byte == UInt8(ascii: "_"))
        }
    }

    /// A lower-case host name of at least `minLabels` labels, at most 253 characters.
    static func isHostName(_ name: String, minLabels: Int = 1, allowUnderscore: Bool = false) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= minLabels && labels.allSatisfy { isDNSLabel($0, allowUnderscore: allowUnderscore) }
    }

    /// Service names become marker comments and messages: keep them short and plain.
    static func isServiceName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLowerAlnum(first), name.utf8.count <= 63 else { return false }
        return name.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// Compose's own rule for service names: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    static func isComposeServiceName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isAlnum(first), name.utf8.count <= 128 else { return false }
        return name.utf8.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// The first character that no rule here would ever allow, described for a message.
    static func firstHostileCharacter(in text: String) -> String? {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": return "a newline"
            case "\r": return "a carriage return"
            case "\t": return "a tab"
            case " ": return "a space"
            case "{", "}", "#", "\"", "'", "`", ";", "\\", "$", "(", ")", "*", "|", "<", ">":
                return "'\(scalar)'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { return "a control character" }
                if scalar.value > 0x7F { return "the non-ASCII character '\(scalar)'" }
            }
        }
        return nil
    }

    static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func isAlnum(_ byte: UInt8) -> Bool {
        isLowerAlnum(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
