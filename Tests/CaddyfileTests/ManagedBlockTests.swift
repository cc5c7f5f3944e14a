import Caddyfile
import Diagnostics
import XCTest

/// Finding our blocks: the marker line, the checksum, drift, orphans.
final class ManagedBlockTests: XCTestCase {
    let site = TestSites.proxy("jellyfin", "jellyfin.home.example", "host.docker.internal:8096")

    func testRenderedBlockIsFoundWithItsChecksum() throws {
        let block = ManagedBlockRenderer.render(site)
        let input = bytes("a.example {\n}\n\n") + block + bytes("\nb.example {\n}\n")
        let document = try XCTUnwrap(parse(input))
        let managed = try XCTUnwrap(document.managedBlocks.first)
        XCTAssertEqual(document.managedBlocks.count, 1)
        XCTAssertEqual(managed.name, "jellyfin")
        XCTAssertEqual(managed.addresses, ["jellyfin.home.example"])
        XCTAssertEqual(managed.directives, site.directives)
        XCTAssertEqual(Array(input[managed.byteRange]), block, "from the marker line through the '}' line and its newline")
        XCTAssertEqual(managed.firstLine, 4)
        XCTAssertEqual(managed.lastLine, 7)
        XCTAssertEqual(managed.recordedChecksum, managed.actualChecksum)
        XCTAssertFalse(managed.isHandEdited)
        // The checksum covers the site lines only, not the marker line.
        let siteLines = Array(block.drop(while: { $0 != 0x0A }).dropFirst())
        XCTAssertEqual(managed.actualChecksum, Checksum.hex(siteLines))
        XCTAssertEqual(document.handWrittenSites.map(\.addresses), [["a.example"], ["b.example"]])
        XCTAssertEqual(document.blocks[managed.blockIndex].addresses, ["jellyfin.home.example"])
    }

    func testAnyEditIsDrift() throws {
        let block = text(ManagedBlockRenderer.render(site))
        let edits = [
            block.replacingOccurrences(of: "8096", with: "8097"),
            block.replacingOccurrences(of: "\treverse_proxy", with: "    reverse_proxy"),
            block.replacingOccurrences(of: "}\n", with: "}  \n"),
            block.replacingOccurrences(of: "checksum=", with: "checksum=0"),
            block.replacingOccurrences(of: " checksum=", with: " sum="),
        ]
        for edited in edits {
            let managed = try XCTUnwrap(parse(bytes(edited))?.managedBlocks.first, edited)
            XCTAssertTrue(managed.isHandEdited, edited)
            XCTAssertEqual(managed.name, "jellyfin")
        }
        let missing = try XCTUnwrap(parse(bytes("# managed by reconcile: x\nx.example {\n}\n"))?.managedBlocks.first)
        XCTAssertNil(missing.recordedChecksum)
        XCTAssertTrue(missing.isHandEdited)
    }

    func testOrphanMarkers() throws {
        let input = """
        # managed by reconcile: gap checksum=0000000000000000

        gap.example {
        }
        (snip) {
        \t# managed by reconcile: inside
        }
        # managed by reconcile: snippet
        (other) {
        }
        a.example {
        } # managed by reconcile: trailing
        # managed by reconcile:
        b.example {
        }
        # managed by reconcile: end
        """
        let document = try XCTUnwrap(parse(bytes(input)))
        XCTAssertEqual(document.managedBlocks.count, 0)
        XCTAssertEqual(document.orphanMarkers, [
            OrphanMarker(name: "gap", line: 1, reason: .notFollowedBySite),
            OrphanMarker(name: "inside", line: 6, reason: .insideBlock),
            OrphanMarker(name: "snippet", line: 8, reason: .notFollowedBySite),
            OrphanMarker(name: "trailing", line: 12, reason: .notAloneOnLine),
            OrphanMarker(name: nil, line: 13, reason: .noName),
            OrphanMarker(name: "end", line: 16, reason: .notFollowedBySite),
        ])
        // Orphans are plain comments: applying nothing changes nothing.
        XCTAssertEqual(apply(document, [])?.newBytes, bytes(input))
    }

    func testRangeStopsAtTheBraceWhenTheLineGoesOn() throws {
        let block = text(ManagedBlockRenderer.render(site))
        let input = block.replacingOccurrences(of: "\n}\n", with: "\n} # note\n") + "next.example {\n}\n"
        let document = try XCTUnwrap(parse(bytes(input)))
        let managed = try XCTUnwrap(document.managedBlocks.first)
        XCTAssertEqual(text(Array(document.bytes[managed.byteRange.suffix(1)])), "}")
        XCTAssertTrue(managed.isHandEdited)
        // Restoring it keeps the comment, now on its own line.
        let edit = try XCTUnwrap(apply(document, [site]))
        XCTAssertEqual(text(edit.newBytes), block + " # note\nnext.example {\n}\n")
    }

    func testIndentedMarkerAndCRLF() throws {
        let block = text(ManagedBlockRenderer.render(site)).replacingOccurrences(of: "\n", with: "\r\n")
        let document = try XCTUnwrap(parse(bytes("x.example {\r\n}\r\n\r\n  " + block)))
        let managed = try XCTUnwrap(document.managedBlocks.first)
        XCTAssertEqual(managed.firstLine, 4)
        XCTAssertEqual(managed.byteRange.lowerBound, 18, "the range starts at the start of the marker line")
        XCTAssertTrue(managed.isHandEdited, "CRLF changes the bytes the checksum covers")
    }
}
