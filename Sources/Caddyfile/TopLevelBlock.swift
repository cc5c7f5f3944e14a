import Diagnostics

/// One top-level unit of a Caddyfile, in file order.
public struct TopLevelBlock: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The keyless `{ … }` block at the top.
        case globalOptions
        /// `(name) { … }`.
        case snippet(name: String)
        /// `address[, address…] { … }`.
        case site(addresses: [String])
        /// A site without braces: its body runs to the end of the file.
        case bracelessSite(addresses: [String])
        /// `import …` on a line of its own at the top level (Caddy splices the imported blocks in).
        case importDirective(arguments: [String])
    }

    public let kind: Kind
    /// From the first byte of the first token to just past the last token (the closing `}`).
    public let byteRange: Range<Int>
    public let firstLine: Int
    public let lastLine: Int
    /// Where the block's first token is.
    public let position: SourcePosition

    /// Indices of the block's tokens in the document's token list.
    let tokenRange: Range<Int>
    /// Byte offset just past the last address (or the import line); where `{` would go.
    let headerEnd: Int
    /// Token index of the `{` opening the body, for blocks with braces.
    let openBrace: Int?
    /// The block takes in everything after it, so nothing can be appended to the file: a site
    /// without braces, or a top-level import of a snippet of directives (which Caddy reads as
    /// the start of a site without braces).
    public let runsToEndOfFile: Bool

    public var addresses: [String] {
        switch kind {
        case .site(let addresses), .bracelessSite(let addresses): return addresses
        default: return []
        }
    }

    public var isSite: Bool { !addresses.isEmpty }
}
