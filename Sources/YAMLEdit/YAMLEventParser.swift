import CYAML
import Diagnostics

/// The only place libyaml is called: bytes in, events (with byte-accurate marks) out, or one Diagnostic.
public enum YAMLEventParser {
    public static func events(_ bytes: [UInt8], file: String, limits: YAMLLimits = .default) throws(Diagnostic) -> [YAMLEvent] {
        try checkEncoding(bytes, file: file, limits: limits)
        let map = CharacterIndexMap(bytes)
        let parser = try LibYAMLParser(file: file)
        return try parser.parse(bytes, map: map, limits: limits)
    }

    private static func checkEncoding(_ bytes: [UInt8], file: String, limits: YAMLLimits) throws(Diagnostic) {
        if bytes.count > limits.maxBytes {
            throw Diagnostic(file: file, position: nil,
                             message: "file is \(bytes.count) bytes, over the limit of \(limits.maxBytes)",
                             hint: "a file this large is not a configuration file; check the path")
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw Diagnostic(file: file, position: SourcePosition(line: 1, column: 1),
                             message: "file is UTF-16; only UTF-8 is supported", hint: "save it as UTF-8")
        }
    }
}

/// Owns one `yaml_parser_t`: initialised in `init`, deleted in `deinit`.
private final class LibYAMLParser {
    private var parser = yaml_parser_t()
    private let file: String
    /// The input being parsed, for the hints of parse errors.
    private var input: [UInt8] = []

    init(file: String) throws(Diagnostic) {
        self.file = file
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Diagnostic(file: file, position: nil, message: "libyaml could not allocate a parser")
        }
    }

    deinit { yaml_parser_delete(&parser) }

    func parse(_ bytes: [UInt8], map: CharacterIndexMap, limits: YAMLLimits) throws(Diagnostic) -> [YAMLEvent] {
        // libyaml asserts on a NULL input pointer, so an empty file gets a one-byte buffer of length 0.
        self.input = bytes
        let input = bytes.isEmpty ? [0] : bytes
        let result: Result<[YAMLEvent], Diagnostic> = input.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, bytes.count)
            return Result { () throws(Diagnostic) in try readAll(map: map, limits: limits) }
        }
        return try result.get()
    }

    private func readAll(map: CharacterIndexMap, limits: YAMLLimits) throws(Diagnostic) -> [YAMLEvent] {
        var events: [YAMLEvent] = []
        // About one event per 8 bytes of a block-style file: grown once or twice instead of a dozen times.
        // Capped (7 MB of events): a large file of long text holds few, and the reservation is made up front.
        events.reserveCapacity(min(input.count / 8 + 16, 65_536))
        var depth = 0
        var aliases = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { throw parseError(map: map) }
            defer { yaml_event_delete(&event) }
            let converted = convert(event, map: map)
            switch converted.kind {
            case .sequenceStart, .mappingStart:
                depth += 1
                if depth > limits.maxDepth {
                    throw Diagnostic(file: file, position: converted.start.position,
                                     message: "nesting deeper than \(limits.maxDepth) levels",
                                     hint: "configuration files are never nested this deep; the file is damaged or hostile")
                }
            case .sequenceEnd, .mappingEnd:
                depth -= 1
            case .alias:
                aliases += 1
                if aliases > limits.maxAliases {
                    throw Diagnostic(file: file, position: converted.start.position,
                                     message: "more than \(limits.maxAliases) aliases",
                                     hint: "a file full of aliases is how an alias bomb starts; refusing it")
                }
            default:
                break
            }
            events.append(converted)
            if case .streamEnd = converted.kind { return events }
        }
    }

    private func mark(_ mark: yaml_mark_t, _ map: CharacterIndexMap) -> YAMLMark {
        YAMLMark(offset: map.byteOffset(ofCharacter: Int(mark.index)), line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func convert(_ event: yaml_event_t, map: CharacterIndexMap) -> YAMLEvent {
        var anchor: String?
        var tag: String?
        let kind: YAMLEvent.Kind
        switch event.type {
        case YAML_STREAM_START_EVENT: kind = .streamStart
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart(implicit: event.data.document_start.implicit != 0)
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd(implicit: event.data.document_end.implicit != 0)
        case YAML_ALIAS_EVENT:
            kind = .alias(anchor: string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            anchor = string(data.anchor)
            tag = string(data.tag)
            let value = data.value.map { pointer in
                String(decoding: UnsafeBufferPointer(start: pointer, count: data.length), as: UTF8.self)
            } ?? ""
            kind = .scalar(value: value, style: style(data.style))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            anchor = string(data.anchor)
            tag = string(data.tag)
            kind = .sequenceStart(flow: data.style == YAML_FLOW_SEQUENCE_STYLE)
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            anchor = string(data.anchor)
            tag = string(data.tag)
            kind = .mappingStart(flow: data.style == YAML_FLOW_MAPPING_STYLE)
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        default: kind = .streamEnd
        }
        return YAMLEvent(kind: kind, anchor: anchor, tag: tag,
                         start: mark(event.start_mark, map), end: mark(event.end_mark, map))
    }

    private func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// 1-based line and character column of a byte offset.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> SourcePosition {
        var line = 1, column = 1
        for byte in bytes[0..<offset] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourcePosition(line: line, column: column)
    }

    /// What to do about libyaml's most common complaints; nil leaves the caller's own advice.
    static func hint(problem: String, at offset: Int, in bytes: [UInt8]) -> String? {
        if problem.contains("UTF-8") { return "the file is not valid UTF-8 there: save it as UTF-8" }
        if problem.contains("control characters") { return "remove the control character (a NUL byte or the like) at that position" }
        if offset < bytes.count, bytes[offset] == 0x09 || problem.contains("tab") {
            return "YAML forbids tabs for indentation: indent with spaces"
        }
        return nil
    }

    private func parseError(map: CharacterIndexMap) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "the YAML is malformed"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            let at = parser.context_mark
            message = "\(context) (line \(at.line + 1), column \(at.column + 1)): \(problem)"
        }
        let at = parser.problem_mark
        if parser.error == YAML_READER_ERROR {
            // The reader (bad UTF-8, a control character) reports a byte offset, not a mark.
            let offset = min(Int(parser.problem_offset), input.count)
            return Diagnostic(file: file, position: Self.position(ofByte: offset, in: input), message: "invalid YAML: \(message)",
                              hint: Self.hint(problem: problem, at: offset, in: input))
        }
        return Diagnostic(file: file, position: SourcePosition(line: Int(at.line) + 1, column: Int(at.column) + 1),
                          message: "invalid YAML: \(message)", hint: Self.hint(problem: problem, at: map.byteOffset(ofCharacter: Int(at.index)), in: input))
    }
}
