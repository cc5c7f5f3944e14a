/// Line-level facts about a byte buffer that surgical edits need: where lines start and end,
/// their indentation, and which line ending the file uses (so an insertion matches it).
public struct SourceLines: Sendable {
    public let bytes: [UInt8]

    /// True when a `\r` ends a line on its own (old Mac line endings). YAML reads it as a line break, but
    /// the line arithmetic here follows `\n`: surgical edits decline such a file rather than mangle it.
    public let hasLoneCarriageReturn: Bool

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        hasLoneCarriageReturn = bytes.indices.contains { bytes[$0] == UInt8(ascii: "\r") && ($0 + 1 == bytes.count || bytes[$0 + 1] != UInt8(ascii: "\n")) }
    }

    /// "\r\n" when the file's first line ending is CRLF, else "\n".
    public var lineEnding: String {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return "\n" }
        return newline > 0 && bytes[newline - 1] == UInt8(ascii: "\r") ? "\r\n" : "\n"
    }

    /// Offset of the first byte of the line holding `offset`.
    public func lineStart(of offset: Int) -> Int {
        var i = min(offset, bytes.count)
        while i > 0 && bytes[i - 1] != UInt8(ascii: "\n") { i -= 1 }
        return i
    }

    /// Offset just past the line holding `offset`, including its line ending (or the end of the file).
    public func lineEndIncludingNewline(of offset: Int) -> Int {
        var i = offset
        while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
        return min(i + 1, bytes.count)
    }

    /// The spaces that indent the line holding `offset`.
    public func indentation(ofLineAt offset: Int) -> Int {
        var i = lineStart(of: offset)
        var count = 0
        while i < bytes.count && bytes[i] == UInt8(ascii: " ") {
            count += 1
            i += 1
        }
        return count
    }

    /// True when everything between the line start and `offset` is blank.
    public func onlyWhitespaceBefore(_ offset: Int) -> Bool {
        var i = lineStart(of: offset)
        while i < offset {
            if bytes[i] != UInt8(ascii: " ") && bytes[i] != UInt8(ascii: "\t") { return false }
            i += 1
        }
        return true
    }

    /// True when the file is non-empty and does not end with a line ending.
    public var lacksFinalNewline: Bool {
        !bytes.isEmpty && bytes.last != UInt8(ascii: "\n")
    }
}
