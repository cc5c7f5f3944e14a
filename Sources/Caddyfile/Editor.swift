import Diagnostics
import Parallel

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
/// - A hand-written site for a desired host is refused; with `adopt` (the user's opt-in), one that
///   `SiteAdoption` accepts is replaced in place by the managed block (a `.adopt` edit).
/// - Bytes outside managed blocks are copied as they are.
public enum CaddyfileEditor {
    /// `syntax`: the Caddy that will read the file (see `CaddySyntax`; unknown: `.portable`).
    /// `adopt`: take over hand-written sites that qualify (see `SiteAdoption`); off by default.
    public static func apply(_ document: CaddyfileDocument, desired: [ManagedSite],
                             syntax: CaddySyntax = .portable, adopt: Bool = false) throws(Diagnostic) -> CaddyfileEdit {
        let checked = try validatedRenderings(desired, in: document, syntax: syntax)

        var firstBlockByName: [String: Int] = [:]
        for (i, block) in document.managedBlocks.enumerated() where firstBlockByName[block.name] == nil {
            firstBlockByName[block.name] = i
        }
        let adoptions = try checkCollisions(desired, hostKeys: checked.map(\.hostKeys), in: document, adopt: adopt,
                                            managedNames: Set(firstBlockByName.keys))
        let adopted = Set(adoptions.map(\.site.name))
        let additions = desired.filter { firstBlockByName[$0.name] == nil && !adopted.contains($0.name) }
        if !additions.isEmpty, let openEnded = document.openEndedBlock {
            if case .bracelessSite = openEnded.kind {
                throw bracelessDiagnostic(document, openEnded, adding: additions[0].name)
            }
            throw openImportDiagnostic(document, openEnded, adding: additions[0].name)
        }

        let bytes = document.bytes
        var writer = OutputWriter(capacity: bytes.count + additions.count * 256)
        var edits: [SiteEdit] = []
        // Names are unique here (checked above).
        let desiredByName = Dictionary(uniqueKeysWithValues: desired.indices.map { (desired[$0].name, $0) })
        var cursor = 0

        // Adopted blocks are replaced where they stand, in file order with the managed blocks.
        var pendingAdoptions = adoptions.sorted { $0.range.lowerBound < $1.range.lowerBound }[...]
        func replaceAdoptions(before offset: Int) {
            while let next = pendingAdoptions.first, next.range.lowerBound < offset {
                pendingAdoptions.removeFirst()
                writer.append(bytes[cursor..<next.range.lowerBound])
                let newLines = writer.append(checked[desiredByName[next.site.name]!].rendering)
                cursor = next.range.upperBound
                edits.append(SiteEdit(name: next.site.name, kind: .adopt, oldLines: next.block.firstLine...next.block.lastLine,
                                      newLines: newLines, wasHandEdited: false, oldAddresses: next.block.addresses,
                                      newAddresses: next.site.addresses, oldDirectives: document.directives(of: next.block),
                                      newDirectives: next.site.directives))
            }
        }

        for (i, block) in document.managedBlocks.enumerated() {
            replaceAdoptions(before: block.byteRange.lowerBound)
            let oldLines = block.firstLine...block.lastLine
            if firstBlockByName[block.name] == i, let index = desiredByName[block.name] {
                let (site, rendering) = (desired[index], checked[index].rendering)
                writer.append(bytes[cursor..<block.byteRange.lowerBound])
                let unchanged = sameBytes(bytes, block.byteRange, rendering)
                let newLines = writer.append(rendering)
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
        replaceAdoptions(before: bytes.count + 1)
        writer.append(bytes[cursor...])

        for site in additions {
            if let last = writer.bytes.last {
                writer.append(last == 0x0A ? [0x0A] : [0x0A, 0x0A])
            }
            let newLines = writer.append(checked[desiredByName[site.name]!].rendering)
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

    /// Whether `bytes[range]` holds exactly `other`: compared in place, not element by element through the
    /// generic sequence walk (1,000 live blocks against their rendering per plan).
    static func sameBytes(_ bytes: [UInt8], _ range: Range<Int>, _ other: [UInt8]) -> Bool {
        guard range.count == other.count, range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { live in
            other.withUnsafeBufferPointer { new in
                for i in 0..<new.count where live[range.lowerBound + i] != new[i] { return false }
                return true
            }
        }
    }

    /// A desired site as checked: its rendering, and the keys its addresses are compared by.
    struct CheckedSite: Sendable {
        var rendering: [UInt8]
        var hostKeys: [String]
    }

    /// Each desired site checked, then rendered, in the order given. Each site's check and rendering stand
    /// alone, so they run over the cores (a 1,000-site plan); the first problem in that order is the one thrown.
    static func validatedRenderings(_ desired: [ManagedSite], in document: CaddyfileDocument,
                                    syntax: CaddySyntax) throws(Diagnostic) -> [CheckedSite] {
        let renderings = Parallel.map(desired) { site in
            Result { () throws(Diagnostic) in
                try ManagedSiteValidator.validate(site, file: document.file, syntax: syntax)
                return CheckedSite(rendering: ManagedBlockRenderer.render(site, syntax: syntax), hostKeys: site.addresses.map(HostKey.of))
            }
        }
        var names: Set<String> = []
        var hostOwner: [String: String] = [:]
        var checked: [CheckedSite] = []
        checked.reserveCapacity(desired.count)
        for (site, result) in zip(desired, renderings) {
            let checkedSite = try result.get()
            checked.append(checkedSite)
            if !names.insert(site.name).inserted {
                throw Diagnostic(file: document.file, position: nil, message: "service '\(site.name)' is declared twice")
            }
            for (address, key) in zip(site.addresses, checkedSite.hostKeys) {
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
        return checked
    }

    /// A hand-written block that becomes a managed one.
    struct Adoption {
        var block: TopLevelBlock
        var site: ManagedSite
        var range: Range<Int>
    }

    /// A desired host already served by a site block we do not manage: we must not shadow it.
    /// With `adopt`, a block `SiteAdoption` accepts is taken over instead; otherwise the refusal
    /// says whether it would qualify, and how to opt in.
    /// `hostKeys`: each desired site's `HostKey`s, by address (made with its rendering, over the cores).
    static func checkCollisions(_ desired: [ManagedSite], hostKeys: [[String]], in document: CaddyfileDocument, adopt: Bool,
                                managedNames: Set<String>) throws(Diagnostic) -> [Adoption] {
        var served: [String: TopLevelBlock] = [:]
        for block in document.handWrittenSites {
            for address in block.addresses where served[HostKey.of(address)] == nil {
                served[HostKey.of(address)] = block
            }
        }
        guard !served.isEmpty else { return [] }
        var adoptions: [Adoption] = []
        for (site, keys) in zip(desired, hostKeys) {
            for (address, key) in zip(site.addresses, keys) {
                guard let block = served[key] else { continue }
                if adoptions.contains(where: { $0.block == block && $0.site.name == site.name }) { continue }
                var verdict = SiteAdoption.verdict(block, in: document, for: site)
                if managedNames.contains(site.name) {
                    verdict = .differs(line: block.firstLine, reason: "service '\(site.name)' already has a managed block")
                }
                if adoptions.contains(where: { $0.block == block }) {
                    verdict = .differs(line: block.firstLine, reason: "it is already adopted for another service")
                }
                let message = "host \(address) (service '\(site.name)') is already served by a hand-written site block at line \(block.firstLine)"
                switch (verdict, adopt) {
                case (.adoptable, true):
                    adoptions.append(Adoption(block: block, site: site, range: SiteAdoption.replacedRange(of: block, in: document)))
                    continue
                case (.adoptable, false):
                    throw Diagnostic(file: document.file, position: block.position, message: message,
                                     hint: "it says what reconcile would write: let reconcile take it over with `reconcile apply --adopt` "
                                        + "(or `adopt: true` in the settings file), or remove it")
                case (.differs(let line, let reason), true):
                    throw Diagnostic(file: document.file, position: block.position,
                                     message: message + ", which cannot be adopted: line \(line): \(reason)",
                                     hint: "adoption takes over only a block that serves exactly this host with one reverse_proxy to the declared upstream; "
                                        + "remove the block, or reduce it to that, to let the managed block replace it")
                case (.differs(let line, let reason), false):
                    var hint = "remove it, or let reconcile take it over by deleting it so the managed block replaces it "
                        + "(`--adopt` would not take it over: line \(line): \(reason))"
                    if let orphan = document.orphanMarkers.first(where: { orphan in
                        orphan.reason == .notFollowedBySite && orphan.line < block.firstLine
                            && !document.blocks.contains { $0.firstLine > orphan.line && $0.firstLine < block.firstLine }
                    }) {
                        hint += "; the marker comment at line \(orphan.line) does not claim it because it is not directly above the site's address line"
                    }
                    throw Diagnostic(file: document.file, position: block.position, message: message, hint: hint)
                }
            }
        }
        return adoptions
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
