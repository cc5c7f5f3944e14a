/// Byte-level helpers: Caddy's lexer reads runes, we read bytes and decode only non-ASCII ones.
enum Scalars {
    /// The scalar starting at `index` and its length in bytes. Invalid UTF-8 reads as one
    /// U+FFFD byte, like Go's `ReadRune`.
    @inline(__always)
    static func decode(_ bytes: [UInt8], at index: Int) -> (value: UInt32, length: Int) {
        let b0 = bytes[index]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let count = bytes.count
        func cont(_ i: Int) -> UInt32? {
            guard i < count, bytes[i] & 0xC0 == 0x80 else { return nil }
            return UInt32(bytes[i] & 0x3F)
        }
        if b0 & 0xE0 == 0xC0, b0 >= 0xC2, let c1 = cont(index + 1) {
            return ((UInt32(b0 & 0x1F) << 6) | c1, 2)
        }
        if b0 & 0xF0 == 0xE0, let c1 = cont(index + 1), let c2 = cont(index + 2) {
            let value = (UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2
            if value >= 0x800 && !(0xD800...0xDFFF).contains(value) { return (value, 3) }
        }
        if b0 & 0xF8 == 0xF0, let c1 = cont(index + 1), let c2 = cont(index + 2), let c3 = cont(index + 3) {
            let value = (UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
            if (0x10000...0x10FFFF).contains(value) { return (value, 4) }
        }
        return (0xFFFD, 1)
    }

    /// Go's `unicode.IsSpace`, which is what separates Caddy tokens.
    @inline(__always)
    static func isSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Columns count characters: every byte that does not continue a UTF-8 sequence.
    static func column(_ bytes: [UInt8], lineStart: Int, offset: Int) -> Int {
        var column = 1
        var i = lineStart
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    static func isHorizontalSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}
