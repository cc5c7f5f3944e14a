/// Text that others wrote (a status branch any gateway can write, a commit's subject, a certificate's issuer),
/// made safe to print on a terminal: control
/// characters (C0, DEL, C1) and bidirectional overrides are shown as `\x1b`-style escapes, so a report
/// cannot move the cursor, rewrite the screen, set the window title or reorder what is printed.
public enum TerminalText {
    /// `keepingLines`: newlines and tabs pass (a whole report or plan), every other control is escaped.
    public static func escaped(_ text: String, keepingLines: Bool = false) -> String {
        let unsafe = { (scalar: Unicode.Scalar) in isUnsafe(scalar) && !(keepingLines && (scalar == "\n" || scalar == "\t")) }
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if unsafe(scalar) {
                out += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, width: 2) : "\\u{" + hex(scalar.value, width: 4) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
