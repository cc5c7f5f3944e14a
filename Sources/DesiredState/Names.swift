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
    /// Bytewise, in one pass (1,000 upstreams and hosts per plan): a label is what `isDNSLabel` allows,
    /// and any non-ASCII byte fails it, so splitting bytes at "." agrees with splitting characters.
    static func isHostName(_ name: String, minLabels: Int = 1, allowUnderscore: Bool = false) -> Bool {
        let utf8 = name.utf8
        guard !utf8.isEmpty, utf8.count <= 253 else { return false }
        let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-"), underscore = UInt8(ascii: "_")
        var labels = 1, length = 0, previous = dot
        for byte in utf8 {
            if byte == dot {
                guard length > 0, previous != dash else { return false }
                labels += 1
                length = 0
            } else {
                guard isLowerAlnum(byte) || byte == dash || (allowUnderscore && byte == underscore),
                      length > 0 || byte != dash, length < 63 else { return false }
                length += 1
            }
            previous = byte
        }
        return length > 0 && previous != dash && labels >= minLabels
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
