import Diagnostics

/// Rewrites the managed blocks of a Caddyfile and nothing else.
///
/// - A desired site with a managed block is rewritten in place (only if its bytes differ).
/// - A desired site without one is appended at the end, after one blank line ("\n"; "\n\n" if
///   the file does not end with a newline; nothing if the file is empty).
/// - A managed block whose name is not desired is removed, with the blank line directly above it
///   (or, for a block at the very top of the file, the blank line below it), so that adding then
///   removing a site gives back the original bytes. One exception: a file that did not end with
///   a newline gets one when a site is added, and keeps it after the site is removed.
/// - Two managed blocks with the same name: the first is the block, later ones are removed.
/// - Bytes outside managed blocks are copied as they are.
public enum CaddyfileEditor {
    public static func apply(_ document: CaddyfileDocument, desired: [ManagedSite]) throws(Diagnostic) -> CaddyfileEdit {
        try validate(desired, in: document)

        var firstBlockByName: [String: Int] = [:]
        for (i, block) in document.managedBlocks.enumerated() where firstBlockByName[block.name] == nil {
            firstBlockByName[block.name] = i
        }
        try checkCollisions(desired, in: document)
        let additions = desired.filter { firstBlockByName[$0.name] == nil }
        if !additions.isEmpty, let openEnded = document.openEndedBlock {
            if case .bracelessSite = openEnded.kind {
                throw bracelessDiagnostic(document, openEnded, adding: additions[0].name)
            }
            throw openImportDiagnostic(document, openEnded, adding: additions[0].name)
        }

        let bytes = document.bytes
        var writer = OutputWriter(capacity: bytes.count + additions.count * 256)
        var edits: [SiteEdit] = []
        let desiredByName = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var cursor = 0

        for (i, block) in document.managedBlocks.enumerated() {
            let oldLines = block.firstLine...block.lastLine
            if firstBlockByName[block.name] == i, let site = desiredByName[block.name] {
                let rendered = ManagedBlockRenderer.render(site)
                writer.append(bytes[cursor..<block.byteRange.lowerBound])
                let unchanged = bytes[block.byteRange].elementsEqual(rendered)
                let newLines = writer.append(rendered)
                cursor = block.byteRange.upperBound
                edits.append(SiteEdit(name: block.name, kind: unchanged ? .unchanged : .update, oldLines: oldLines, newLines: newLines,
                                      wasHandEdited: block.isHandEdited, oldAddresses: block.addresses, newAddresses: site.addresses,
                                      oldDirectives: block.directives, newDirectives: site.directives))
            } else {
                let range = removalRange(of: block, in: document, notBefore: cursor)
                writer.append(bytes[cursor..<range.lowerBound])
                cursor = range.upperBound
                edits.append(SiteEdit(name: block.name, kind: .remove, oldLines: oldLines, newLines: nil,
                                      wasHandEdited: block.isHandEdited, oldAddresses: block.addresses, newAddresses: nil,
                                      oldDirectives: block.directives, newDirectives: nil))
            }
        }
        writer.append(bytes[cursor...])

        for site in additions {
            if let last = writer.bytes.last {
                writer.append(last == 0x0A ? [0x0A] : [0x0A, 0x0A])
            }
            let newLines = writer.append(ManagedBlockRenderer.render(site))
            edits.append(SiteEdit(name: site.name, kind: .add, oldLines: nil, newLines: newLines, wasHandEdited: false,
                                  oldAddresses: nil, newAddresses: site.addresses, oldDirectives: nil, newDirectives: site.directives))
        }
        return CaddyfileEdit(newBytes: writer.bytes, edits: edits)
    }

    /// The block's range, widened by one adjacent blank line (see the type's comment).
    static func removalRange(of block: ManagedBlock, in document: CaddyfileDocument, notBefore cursor: Int) -> Range<Int> {
        let bytes = document.bytes
        var start = block.byteRange.lowerBound
        var end = block.byteRange.upperBound
        if block.firstLine > 1 {
            let previous = block.firstLine - 1
            let previousStart = document.lines.start(ofLine: previous)
            if previousStart >= cursor && isBlank(bytes[previousStart..<start]) {
                start = previousStart
                return start..<end
            }
        }
        if start == 0 && end < bytes.count && bytes[end - 1] == 0x0A {
            let nextLine = document.lines.line(of: end)
            let nextEnd = document.lines.end(ofLine: nextLine)
            if nextEnd > end && bytes[nextEnd - 1] == 0x0A && isBlank(bytes[end..<nextEnd]) { end = nextEnd }
        }
        return start..<end
    }

    /// A whole line (newline included) holding only spaces, tabs or `\r`.
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.last == 0x0A else { return false }
        return line.dropLast().allSatisfy(Scalars.isHorizontalSpace)
    }

    static func validate(_ desired: [ManagedSite], in document: CaddyfileDocument) throws(Diagnostic) {
        var names: Set<String> = []
        var hostOwner: [String: String] = [:]
        for site in desired {
            try ManagedSiteValidator.validate(site, file: document.file)
            if !names.insert(site.name).inserted {
                throw Diagnostic(file: document.file, position: nil, message: "service '\(site.name)' is declared twice")
            }
            for address in site.addresses {
                let key = HostKey.of(address)
                if let owner = hostOwner[key] {
                    throw Diagnostic(file: document.file, position: nil,
                                     message: owner == site.name
                                        ? "service '\(site.name)' lists host \(address) twice"
                                        : "host \(address) is declared by both service '\(owner)' and service '\(site.name)'",
                                     hint: "Caddy refuses two site blocks for the same address")
                }
                hostOwner[key] = site.name
            }
        }
    }

    /// A desired host already served by a site block we do not manage: we must not shadow it.
    static func checkCollisions(_ desired: [ManagedSite], in document: CaddyfileDocument) throws(Diagnostic) {
        var served: [String: TopLevelBlock] = [:]
        for block in document.handWrittenSites {
            for address in block.addresses where served[HostKey.of(address)] == nil {
                served[HostKey.of(address)] = block
            }
        }
        guard !served.isEmpty else { return }
        for site in desired {
            for address in site.addresses {
                guard let block = served[HostKey.of(address)] else { continue }
                var hint = "remove it, or let reconcile take it over by deleting it so the managed block replaces it"
                if let orphan = document.orphanMarkers.first(where: { orphan in
                    orphan.reason == .notFollowedBySite && orphan.line < block.firstLine
                        && !document.blocks.contains { $0.firstLine > orphan.line && $0.firstLine < block.firstLine }
                }) {
                    hint += "; the marker comment at line \(orphan.line) does not claim it because it is not directly above the site's address line"
                }
                throw Diagnostic(file: document.file, position: block.position,
                                 message: "host \(address) (service '\(site.name)') is already served by a hand-written site block at line \(block.firstLine)",
                                 hint: hint)
            }
        }
    }
}

/// Appends bytes and keeps count of lines, so edits can say where blocks landed.
struct OutputWriter {
    var bytes: [UInt8] = []
    var newlines = 0

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        bytes.append(contentsOf: chunk)
        newlines += newlineCount(chunk)
    }

    /// Appends a chunk ending in "\n" and returns the lines it occupies.
    @discardableResult
    mutating func append(_ chunk: [UInt8]) -> ClosedRange<Int> {
        let first = newlines + 1
        bytes.append(contentsOf: chunk)
        let count = newlineCount(chunk)
        newlines += count
        return first...max(first, first + count - 1)
    }
}
