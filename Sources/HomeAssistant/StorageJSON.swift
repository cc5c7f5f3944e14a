import Diagnostics

/// A JSON value with the byte range of its text, so an edit replaces one value and copies every other
/// byte of the file as it was (key order, indentation, number spelling).
struct JSONNode {
    enum Kind {
        case object([JSONMember])
        case array([JSONNode])
        case string(String)
        /// As written: `8123`, `-1`, `1.0e3`.
        case number(String)
        case bool(Bool)
        case null
    }

    var kind: Kind
    var range: Range<Int>

    var members: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// The last member named `key` (what Python's and orjson's loaders keep for a duplicate key).
    func member(_ key: String) -> JSONMember? { members?.last { $0.key == key } }

    subscript(key: String) -> JSONNode? { member(key)?.value }

    var string: String? {
        if case .string(let value) = kind { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = kind { return value }
        return nil
    }

    var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    /// A JSON integer, as Home Assistant's storage versions are.
    var integer: Int? {
        if case .number(let text) = kind { return Int(text) }
        return nil
    }
}

struct JSONMember {
    var key: String
    var keyRange: Range<Int>
    var value: JSONNode
}

/// Strict RFC 8259 parsing with spans. Errors carry line and column (columns count characters).
struct JSONSpanParser {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var depth = 0
    static let maxDepth = StorageJSONLimits.maxDepth

    static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> JSONNode {
        var parser = JSONSpanParser(bytes: bytes, file: file)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private mutating func value() throws(Diagnostic) -> JSONNode {
        guard index < bytes.count else { throw error("the file ends where a value was expected") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return JSONNode(kind: .string(try string()), range: start..<index)
        case UInt8(ascii: "t"): try literal("true"); return JSONNode(kind: .bool(true), range: start..<index)
        case UInt8(ascii: "f"): try literal("false"); return JSONNode(kind: .bool(false), range: start..<index)
        case UInt8(ascii: "n"): try literal("null"); return JSONNode(kind: .null, range: start..<index)
        default: return JSONNode(kind: .number(try number()), range: start..<index)
        }
    }

    private mutating func object() throws(Diagnostic) -> JSONNode {
        let start = index
        try enter()
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
        } else {
            while true {
                skipWhitespace()
                let keyStart = index
                guard peek(UInt8(ascii: "\"")) else { throw error("expected a quoted key") }
                let key = try string()
                let keyRange = keyStart..<index
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after a key") }
                index += 1
                skipWhitespace()
                members.append(JSONMember(key: key, keyRange: keyRange, value: try value()))
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                guard peek(UInt8(ascii: "}")) else { throw error("expected ',' or '}'") }
                index += 1
                break
            }
        }
        depth -= 1
        return JSONNode(kind: .object(members), range: start..<index)
    }

    private mutating func array() throws(Diagnostic) -> JSONNode {
        let start = index
        try enter()
        index += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
        } else {
            while true {
                skipWhitespace()
                items.append(try value())
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                guard peek(UInt8(ascii: "]")) else { throw error("expected ',' or ']'") }
                index += 1
                break
            }
        }
        depth -= 1
        return JSONNode(kind: .array(items), range: start..<index)
    }

    private mutating func string() throws(Diagnostic) -> String {
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw error("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8 += Array(String(try unicodeEscape()).utf8)
                default: throw error("invalid escape in a string")
                }
            case 0..<0x20:
                throw error("control character in a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate becomes U+FFFD as in most decoders.
    private mutating func unicodeEscape() throws(Diagnostic) -> Character {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), bytes[index...].starts(with: Array("\\u".utf8)) {
            index += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                return Character(scalar)
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(high).map(Character.init) ?? "\u{FFFD}"
    }

    private mutating func hex4() throws(Diagnostic) -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
              bytes[index..<index + 4].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else {
            throw error("invalid \\u escape")
        }
        index += 4
        return value
    }

    private mutating func number() throws(Diagnostic) -> String {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - from
        }
        if peek(UInt8(ascii: "-")) { index += 1 }
        if peek(UInt8(ascii: "0")) { index += 1 } else if digits() == 0 { throw error("expected a value") }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard digits() > 0 else { throw error("expected digits after '.'") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { throw error("expected digits in an exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func literal(_ word: String) throws(Diagnostic) {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else { throw error("expected a value") }
        index += expected.count
    }

    private mutating func enter() throws(Diagnostic) {
        depth += 1
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func error(_ message: String) -> Diagnostic {
        Diagnostic(file: file, position: LineCounter(bytes: bytes).position(of: index), message: "invalid JSON: \(message)",
                          hint: "Home Assistant writes this file itself; restore it from a backup or let Home Assistant recreate it")
    }
}
