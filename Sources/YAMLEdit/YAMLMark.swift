import Diagnostics

/// A position in YAML source: a UTF-8 byte offset (for slicing and editing) and the 1-based line/column people read.
public struct YAMLMark: Hashable, Sendable {
    /// Byte offset into the UTF-8 input. libyaml counts characters; `CharacterIndexMap` converts.
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var position: SourcePosition { SourcePosition(line: line, column: column) }
}

/// libyaml's `mark.index` counts code points (and skips a UTF-8 byte-order mark); we slice bytes.
/// For pure-ASCII input the map is the identity plus the BOM length, so it costs nothing.
struct CharacterIndexMap {
    private let bomLength: Int
    /// Byte offset of each code point after the BOM; empty when the text is ASCII.
    private let offsets: [Int32]
    private let byteCount: Int

    init(_ bytes: [UInt8]) {
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        bomLength = bom
        byteCount = bytes.count
        var ascii = true
        for byte in bytes[bom...] where byte >= 0x80 { ascii = false; break }
        if ascii {
            offsets = []
            return
        }
        var table: [Int32] = []
        table.reserveCapacity(bytes.count)
        var i = bom
        while i < bytes.count {
            table.append(Int32(i))
            let lead = bytes[i]
            let width: Int = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            i += width
        }
        offsets = table
    }

    func byteOffset(ofCharacter index: Int) -> Int {
        if offsets.isEmpty { return min(bomLength + index, byteCount) }
        return index < offsets.count ? Int(offsets[index]) : byteCount
    }
}
