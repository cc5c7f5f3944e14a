/// Trimming as Foundation's `trimmingCharacters(in:)` does it (Unicode scalars at both ends), for the character
/// sets this package trims by, without full Foundation: FoundationEssentials has no `CharacterSet`, and full
/// Foundation links FoundationInternationalization and ICU into the release binary (issue #24).
extension StringProtocol {
    /// Without the leading and trailing scalars `isTrimmed` accepts.
    public func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Foundation's `trimmingCharacters(in: .whitespaces)`: spaces (Unicode Zs) and tabs.
    public func trimmingWhitespace() -> String { trimmingScalars(where: \.isHorizontalWhitespace) }

    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)`.
    public func trimmingWhitespaceAndNewlines() -> String { trimmingScalars(where: \.isWhitespaceOrNewline) }
}

extension Unicode.Scalar {
    /// Foundation's `CharacterSet.whitespaces`: general category Zs, tab, and (as Foundation has it) U+200B
    /// ZERO WIDTH SPACE.
    public var isHorizontalWhitespace: Bool {
        self == "\t" || value == 0x200B || properties.generalCategory == .spaceSeparator
    }

    /// Foundation's `CharacterSet.whitespacesAndNewlines`: Unicode White_Space, and U+200B as above.
    public var isWhitespaceOrNewline: Bool { value == 0x200B || properties.isWhitespace }

    /// Foundation's `CharacterSet.newlines`: U+000A–U+000D, U+0085, U+2028, U+2029.
    public var isNewline: Bool { (0x0A...0x0D).contains(value) || value == 0x85 || value == 0x2028 || value == 0x2029 }
}
