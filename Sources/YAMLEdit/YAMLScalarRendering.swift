/// Writing scalars we insert into a user's file: plain when YAML reads it back as the same string,
/// double-quoted otherwise.
public enum YAMLScalarRendering {
    public static func render(_ value: String) -> String {
        needsQuotes(value) ? doubleQuoted(value) : value
    }

    public static func doubleQuoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Conservative: anything that could be read as another type, or holds YAML syntax, is quoted.
    static func needsQuotes(_ value: String) -> Bool {
        if value.isEmpty { return true }
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        if reserved.contains(value.lowercased()) { return true }
        if Double(value) != nil || Int(value) != nil { return true }
        guard let first = value.unicodeScalars.first else { return true }
        if "-?:,[]{}#&*!|>'\"%@` ".unicodeScalars.contains(first) { return true }
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar == "#" || scalar == ":" || scalar == "\"" || scalar == "'"
                || scalar == "{" || scalar == "}" || scalar == "[" || scalar == "]" || scalar == "," {
                return true
            }
        }
        return value.hasSuffix(" ")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
