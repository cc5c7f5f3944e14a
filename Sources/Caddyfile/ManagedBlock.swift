import Diagnostics

/// A site block we own: a marker comment line directly above a braced site block.
public struct ManagedBlock: Hashable, Sendable {
    public let name: String
    /// From the start of the marker line to the end of the closing `}` line, newline included.
    /// If something else follows the `}` on its line (a comment, the next block), the range
    /// stops right after the `}` and that text stays where it is.
    public let byteRange: Range<Int>
    /// The marker line and the line of the closing `}`.
    public let firstLine: Int
    public let lastLine: Int
    public let addresses: [String]
    public let directives: [CaddyDirective]
    /// The checksum written on the marker line; nil if it is missing or malformed.
    public let recordedChecksum: String?
    /// `Checksum.hex` of the site's bytes: its address line through the end of the `}` line.
    public let actualChecksum: String
    /// Index of the site block in `CaddyfileDocument.blocks`.
    public let blockIndex: Int

    /// Someone changed the block (or its checksum) since we wrote it: drift.
    public var isHandEdited: Bool { recordedChecksum != actualChecksum }
}

/// A marker comment that does not claim a block, with why. It is left alone as a comment; the
/// planner should warn about it.
///
/// Decision: an orphan marker is never edited or deleted (we cannot prove which bytes it meant to
/// claim). If its site sits just below it but not directly under it, the site is hand-written
/// for us, and a desired site for the same host is refused with a message pointing here.
public struct OrphanMarker: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable {
        case notFollowedBySite = "the next line is not the address line of a site block with braces"
        case notAloneOnLine = "the marker shares its line with other text"
        case insideBlock = "the marker is inside a block; markers only count at the top level"
        case noName = "the marker names no service"
    }

    public let name: String?
    public let line: Int
    public let reason: Reason

    public init(name: String?, line: Int, reason: Reason) {
        self.name = name
        self.line = line
        self.reason = reason
    }
}

/// Finds managed blocks and orphan markers among the top-level comments.
struct ManagedBlockScanner {
    let bytes: [UInt8]
    let lines: LineIndex
    let blocks: [TopLevelBlock]
    let parser: Parser

    func scan(_ comments: [CaddyComment]) -> (managed: [ManagedBlock], orphans: [OrphanMarker]) {
        var managed: [ManagedBlock] = []
        var orphans: [OrphanMarker] = []
        var next = 0  // first block not entirely before the current comment
        for comment in comments where Marker.looksLikeMarker(comment.text) {
            while next < blocks.count && blocks[next].byteRange.upperBound <= comment.byteRange.lowerBound { next += 1 }
            guard let marker = Marker.parse(comment.text) else {
                orphans.append(OrphanMarker(name: nil, line: comment.line, reason: .noName))
                continue
            }
            func orphan(_ reason: OrphanMarker.Reason) {
                orphans.append(OrphanMarker(name: marker.name, line: comment.line, reason: reason))
            }
            if next < blocks.count && blocks[next].byteRange.lowerBound < comment.byteRange.lowerBound {
                orphan(.insideBlock)
                continue
            }
            let lineStart = lines.start(ofLine: comment.line)
            guard bytes[lineStart..<comment.byteRange.lowerBound].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
                orphan(.notAloneOnLine)
                continue
            }
            guard next < blocks.count, case .site(let addresses) = blocks[next].kind,
                  blocks[next].firstLine == comment.line + 1, let open = blocks[next].openBrace
            else {
                orphan(.notFollowedBySite)
                continue
            }
            let site = blocks[next]
            let end = rangeEnd(afterBrace: site.byteRange.upperBound)
            let siteStart = lines.start(ofLine: site.firstLine)
            managed.append(ManagedBlock(
                name: marker.name, byteRange: lineStart..<end, firstLine: comment.line, lastLine: site.lastLine,
                addresses: addresses, directives: parser.directives(open: open, close: site.tokenRange.upperBound - 1),
                recordedChecksum: marker.checksum, actualChecksum: Checksum.hex(bytes[siteStart..<end]), blockIndex: next))
        }
        return (managed, orphans)
    }

    /// Past the newline ending the `}` line if only blanks follow the `}`; else right after `}`.
    func rangeEnd(afterBrace offset: Int) -> Int {
        var i = offset
        while i < bytes.count && Scalars.isHorizontalSpace(bytes[i]) { i += 1 }
        if i == bytes.count { return i }
        if bytes[i] == 0x0A { return i + 1 }
        return offset
    }
}
