/// How to write a token so that Caddy reads it back unchanged and `caddy fmt` leaves it alone.
enum Quoting {
    enum Form { case bare, doubleQuoted, backticked, impossible }

    static func form(of token: String, syntax: CaddySyntax = .portable) -> Form {
        // A lone brace is structure for Caddy before 2.11.7 however it is quoted.
        if token == "{" || token == "}" { return syntax.quotedBracesAreArguments ? .doubleQuoted : .impossible }
        if isPlainBare(token.utf8) { return .bare }
        let bytes = Array(token.utf8)
        if isBareSafe(bytes) { return .bare }
        if canDoubleQuote(bytes) { return .doubleQuoted }
        if !bytes.contains(0x60) { return .backticked }
        return .impossible
    }

    static func write(_ token: String, syntax: CaddySyntax = .portable, into out: inout [UInt8]) {
        switch form(of: token, syntax: syntax) {
        case .bare:
            out.append(contentsOf: token.utf8)
        case .backticked:
            out.append(0x60)
            out.append(contentsOf: token.utf8)
            out.append(0x60)
        case .doubleQuoted, .impossible:
            out.append(0x22)
            for byte in token.utf8 {
                if byte == 0x22 { out.append(0x5C) }
                out.append(byte)
            }
            out.append(0x22)
        }
    }

    static func written(_ token: String) -> String {
        var out: [UInt8] = []
        write(token, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The common token, decided without a copy (every token of 1,000 sites is checked twice per plan):
    /// printable ASCII without quotes, backticks, backslashes or braces, not starting with `#` or `<<`.
    /// `isBareSafe` says bare to each of these; anything else goes through it.
    static func isPlainBare(_ utf8: String.UTF8View) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, first != 0x23, !(bytes.count > 1 && first == 0x3C && bytes[1] == 0x3C) else { return false }
            for byte in bytes {
                guard byte > 0x20, byte < 0x7F, byte != 0x22, byte != 0x60, byte != 0x5C, byte != 0x7B, byte != 0x7D else { return false }
            }
            return true
        } ?? false
    }

    /// Bare only if nothing in it means something to the lexer or to `caddy fmt`: no whitespace,
    /// no quote or backtick anywhere, no backslash, no leading `#` or `<<`, and braces only as
    /// `{placeholder}` groups (caddy fmt 2.6 reads any other `{`/`}` as block structure).
    static func isBareSafe(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, first != 0x23 else { return false }
        if bytes.count >= 2 && bytes[0] == 0x3C && bytes[1] == 0x3C { return false }
        var inPlaceholder = false
        var placeholderLength = 0
        var i = 0
        while i < bytes.count {
            let (scalar, length) = Scalars.decode(bytes, at: i)
            if Scalars.isSpace(scalar) { return false }
            switch bytes[i] {
            case 0x22, 0x60, 0x5C:
                return false
            case 0x7B:
                if inPlaceholder { return false }
                inPlaceholder = true
                placeholderLength = 0
            case 0x7D:
                if !inPlaceholder || placeholderLength == 0 { return false }
                inPlaceholder = false
            default:
                if inPlaceholder { placeholderLength += 1 }
            }
            i += length
        }
        return !inPlaceholder
    }

    /// Inside "…" only `\"` is an escape, so a backslash right before a quote, or at the very
    /// end, cannot be written.
    static func canDoubleQuote(_ bytes: [UInt8]) -> Bool {
        if bytes.last == 0x5C { return false }
        for i in bytes.indices.dropLast() where bytes[i] == 0x5C && bytes[i + 1] == 0x22 { return false }
        return true
    }
}
