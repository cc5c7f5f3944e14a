extension CaddyfileDocument {
    /// The directives of a site block with braces, as the parser reads them; nil for any other block.
    public func directives(of block: TopLevelBlock) -> [CaddyDirective]? {
        guard case .site = block.kind, let open = block.openBrace else { return nil }
        return Parser(tokens: tokens, file: file, lines: lines).directives(open: open, close: block.tokenRange.upperBound - 1)
    }
}
