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
    /// Brace structure was already checked: every `{` ends its line and every `}` has its `{`.
    func directives(open: Int, close: Int) -> [CaddyDirective] {
        var k = open + 1
        return directives(from: &k, until: close)
    }

    /// Like Caddy's `directive()`: a directive runs to the end of its line; a block it opens
    /// holds its children, and tokens after that block's `}` on the same line still belong to it.
    private func directives(from k: inout Int, until end: Int) -> [CaddyDirective] {
        var result: [CaddyDirective] = []
        while k < end {
            if tokens[k].closesBlock { k += 1; return result }
            var words: [String] = [tokens[k].text]
            var children: [CaddyDirective]?
            k += 1
            while k < end && !tokens[k].closesBlock && !startsLine(k) {
                if tokens[k].opensBlock {
                    k += 1
                    children = (children ?? []) + directives(from: &k, until: end)
                } else {
                    words.append(tokens[k].text)
                    k += 1
                }
            }
            result.append(CaddyDirective(words, children: children))
        }
        return result
    }
}
