/// One directive line of a site block: its tokens (unquoted values) and, if the line opens a
/// block, the directives inside it. E.g. `["reverse_proxy", "host.docker.internal:8096"]`.
public struct CaddyDirective: Hashable, Sendable {
    public var tokens: [String]
    /// nil: the line opens no block; []: it opens an empty one.
    public var children: [CaddyDirective]?

    public init(_ tokens: [String], children: [CaddyDirective]? = nil) {
        self.tokens = tokens
        self.children = children
    }

    public init(tokens: [String], children: [CaddyDirective]? = nil) {
        self.init(tokens, children: children)
    }
}

extension Parser {
    /// The directives between a block's `{` (token `open`) and its matching `}` (token `close`).
    /// Brace structure was already checked, so every `{` ends its line and every `}` starts one.
    func directives(open: Int, close: Int) -> [CaddyDirective] {
        var k = open + 1
        return directives(from: &k, until: close)
    }

    private func directives(from k: inout Int, until end: Int) -> [CaddyDirective] {
        var result: [CaddyDirective] = []
        while k < end {
            if tokens[k].closesBlock { k += 1; return result }
            var words: [String] = [tokens[k].text]
            k += 1
            while k < end && !startsLine(k) && !tokens[k].opensBlock {
                words.append(tokens[k].text)
                k += 1
            }
            if k < end && tokens[k].opensBlock && !startsLine(k) {
                k += 1
                result.append(CaddyDirective(words, children: directives(from: &k, until: end)))
            } else {
                result.append(CaddyDirective(words))
            }
        }
        return result
    }
}
