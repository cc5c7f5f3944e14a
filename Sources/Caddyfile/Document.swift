import Diagnostics

/// A parsed Caddyfile: its blocks in order, which of them we manage, and everything needed to
/// write it back byte for byte.
public struct CaddyfileDocument: Sendable {
    public let file: String
    /// The input.
    public let bytes: [UInt8]
    public let tokens: [CaddyToken]
    public let comments: [CaddyComment]
    /// Every top-level block in order (global options, snippets, imports, sites, braceless site).
    public let blocks: [TopLevelBlock]
    /// The blocks we own, in file order. Names may repeat (a copy-paste); the editor keeps the first.
    public let managedBlocks: [ManagedBlock]
    /// Marker comments that claim nothing; left alone, worth a warning.
    public let orphanMarkers: [OrphanMarker]
    let lines: LineIndex

    public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> CaddyfileDocument {
        let lexed = try CaddyLexer.lex(bytes, file: file)
        let lines = LineIndex(bytes)
        var parser = Parser(tokens: lexed.tokens, file: file, lines: lines)
        let blocks = try parser.parse()
        let scan = ManagedBlockScanner(bytes: bytes, lines: lines, blocks: blocks, parser: parser).scan(lexed.comments)
        return CaddyfileDocument(file: file, bytes: bytes, tokens: lexed.tokens, comments: lexed.comments, blocks: blocks,
                                 managedBlocks: scan.managed, orphanMarkers: scan.orphans, lines: lines)
    }

    /// The file rebuilt from its parts: the trivia between blocks (whitespace, comments), and each
    /// block from its tokens and the trivia between them. Equal to `bytes` when parsing lost nothing.
    public func render() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        for block in blocks {
            out.append(contentsOf: bytes[cursor..<block.byteRange.lowerBound])
            cursor = block.byteRange.lowerBound
            for token in tokens[block.tokenRange] {
                out.append(contentsOf: bytes[cursor..<token.byteRange.lowerBound])
                out.append(contentsOf: bytes[token.byteRange])
                cursor = token.byteRange.upperBound
            }
        }
        out.append(contentsOf: bytes[cursor...])
        return out
    }

    /// The site without braces, if the file has one (it is always the last block).
    public var bracelessSite: TopLevelBlock? {
        guard let last = blocks.last, case .bracelessSite = last.kind else { return nil }
        return last
    }

    /// The block that takes in the rest of the file (a braceless site, or a top-level import of
    /// a snippet of directives), if any: nothing can be appended after it.
    public var openEndedBlock: TopLevelBlock? {
        guard let last = blocks.last, last.runsToEndOfFile else { return nil }
        return last
    }

    /// The 1-based line holding a byte offset.
    public func line(ofOffset offset: Int) -> Int { lines.line(of: offset) }

    /// Site blocks nobody marked as ours.
    public var handWrittenSites: [TopLevelBlock] {
        let managed = Set(managedBlocks.map(\.blockIndex))
        return blocks.indices.filter { blocks[$0].isSite && !managed.contains($0) }.map { blocks[$0] }
    }
}
