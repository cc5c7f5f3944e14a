/// One libyaml parse event with its marks converted to byte offsets.
public struct YAMLEvent: Sendable {
    public enum Kind: Sendable, Hashable {
        case streamStart, streamEnd
        case documentStart(implicit: Bool), documentEnd(implicit: Bool)
        case alias(anchor: String)
        case scalar(value: String, style: YAMLScalarStyle)
        case sequenceStart(flow: Bool), sequenceEnd
        case mappingStart(flow: Bool), mappingEnd
    }

    public var kind: Kind
    public var anchor: String?
    public var tag: String?
    public var start: YAMLMark
    public var end: YAMLMark
}
