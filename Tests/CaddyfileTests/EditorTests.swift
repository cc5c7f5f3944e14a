import Caddyfile
import Diagnostics
import XCTest

/// Add, update, remove, leave alone; and refuse what cannot be done safely.
final class EditorTests: XCTestCase {
    let jellyfin = TestSites.proxy("jellyfin", "jellyfin.home.example", "host.docker.internal:8096")
    let homeassistant = TestSites.proxy("homeassistant", "home.example", "host.docker.internal:8123")
    let handWritten = "{\n\temail me@home.example\n}\n\n# my own site\nblog.home.example {\n\troot * /srv\n\tfile_server\n}\n"

    func block(_ site: ManagedSite) -> String { text(ManagedBlockRenderer.render(site)) }

    func run(_ input: String, _ desired: [ManagedSite], line: UInt = #line) -> CaddyfileEdit? {
        guard let document = parse(bytes(input), line: line) else { return nil }
        return apply(document, desired, line: line)
    }

    func testAddAppendsAfterOneBlankLine() throws {
        let edit = try XCTUnwrap(run(handWritten, [jellyfin, homeassistant]))
        XCTAssertEqual(text(edit.newBytes), handWritten + "\n" + block(jellyfin) + "\n" + block(homeassistant))
        XCTAssertEqual(edit.edits.map(\.kind), [.add, .add])
        XCTAssertEqual(edit.edits.map(\.newLines), [11...14, 16...19])
        XCTAssertEqual(edit.edits[0].newAddresses, ["jellyfin.home.example"])
        XCTAssertNil(edit.edits[0].oldLines)
        XCTAssertTrue(edit.hasChanges)
        // Empty file: no separator. No trailing newline: the line is ended first.
        XCTAssertEqual(run("", [jellyfin]).map { text($0.newBytes) }, block(jellyfin))
        XCTAssertEqual(run("a.example {\n}", [jellyfin]).map { text($0.newBytes) }, "a.example {\n}\n\n" + block(jellyfin))
    }

    func testClassificationAndLines() throws {
        let start = try XCTUnwrap(run(handWritten, [jellyfin, homeassistant, TestSites.a]))
        let moved = TestSites.proxy("jellyfin", "jellyfin.home.example", "host.docker.internal:9999")
        let edit = try XCTUnwrap(apply(try XCTUnwrap(parse(start.newBytes)), [TestSites.b, moved, TestSites.a]))
        XCTAssertEqual(edit.edits.map(\.name), ["jellyfin", "homeassistant", "svc-a", "svc-b"])
        XCTAssertEqual(edit.edits.map(\.kind), [.update, .remove, .unchanged, .add])
        XCTAssertEqual(edit.edits.map(\.oldLines), [11...14, 16...19, 21...24, nil])
        XCTAssertEqual(edit.edits.map(\.newLines), [11...14, nil, 16...19, 21...28])
        XCTAssertEqual(edit.edits[0].oldDirectives, jellyfin.directives)
        XCTAssertEqual(edit.edits[0].newDirectives, moved.directives)
        XCTAssertFalse(edit.edits[0].wasHandEdited)
        XCTAssertEqual(edit.edits[1].oldAddresses, ["home.example"])
        XCTAssertEqual(text(edit.newBytes), handWritten + "\n" + block(moved) + "\n" + block(TestSites.a) + "\n" + block(TestSites.b))
    }

    func testIdempotentAndPruneRestoresTheOriginal() throws {
        for original in [handWritten, "", "\n", "a.example {\n}\r\n", "# just a comment\n\n\n"] {
            let added = try XCTUnwrap(run(original, [jellyfin, homeassistant]))
            let again = try XCTUnwrap(apply(try XCTUnwrap(parse(added.newBytes)), [jellyfin, homeassistant]))
            XCTAssertEqual(again.newBytes, added.newBytes, original.debugDescription)
            XCTAssertEqual(again.edits.map(\.kind), [.unchanged, .unchanged])
            XCTAssertFalse(again.hasChanges)
            // Remove one, then the other, then check the original is back, byte for byte.
            let one = try XCTUnwrap(apply(try XCTUnwrap(parse(added.newBytes)), [homeassistant]))
            XCTAssertEqual(text(one.newBytes), original + (original.isEmpty ? "" : "\n") + block(homeassistant))
            let none = try XCTUnwrap(apply(try XCTUnwrap(parse(one.newBytes)), []))
            XCTAssertEqual(text(none.newBytes), original, original.debugDescription)
            XCTAssertEqual(none.edits.map(\.kind), [.remove])
        }
        // Documented exception: a missing final newline is added with the first site and stays.
        let added = try XCTUnwrap(run("a.example {\n}", [jellyfin]))
        XCTAssertEqual(try XCTUnwrap(apply(try XCTUnwrap(parse(added.newBytes)), [])).newBytes, bytes("a.example {\n}\n"))
    }

    func testRemovingBlocksElsewhereTakesOneBlankLine() throws {
        let top = block(jellyfin) + "\nblog.example {\n}\n"
        XCTAssertEqual(run(top, []).map { text($0.newBytes) }, "blog.example {\n}\n", "a block at the top takes the blank line below it")
        let middle = "a.example {\n}\n\n" + block(jellyfin) + "\n" + block(homeassistant) + "b.example {\n}\n"
        XCTAssertEqual(run(middle, []).map { text($0.newBytes) }, "a.example {\n}\nb.example {\n}\n")
        let packed = "a.example {\n}\n" + block(jellyfin) + "b.example {\n}\n"
        XCTAssertEqual(run(packed, []).map { text($0.newBytes) }, "a.example {\n}\nb.example {\n}\n")
        let both = block(jellyfin) + "\n" + block(homeassistant)
        XCTAssertEqual(run(both, []).map { text($0.newBytes) }, "")
    }

    func testHandEditedBlockIsRestored() throws {
        let added = try XCTUnwrap(run(handWritten, [jellyfin]))
        let edited = text(added.newBytes).replacingOccurrences(of: "8096", with: "8097\n\theader X-Debug 1")
        let document = try XCTUnwrap(parse(bytes(edited)))
        XCTAssertTrue(try XCTUnwrap(document.managedBlocks.first).isHandEdited)
        let edit = try XCTUnwrap(apply(document, [jellyfin]))
        XCTAssertEqual(edit.newBytes, added.newBytes)
        XCTAssertEqual(edit.edits.first?.kind, .update)
        XCTAssertEqual(edit.edits.first?.wasHandEdited, true)
        XCTAssertEqual(edit.edits.first?.oldLines, 11...15)
        XCTAssertEqual(edit.edits.first?.oldDirectives, [
            CaddyDirective(["reverse_proxy", "host.docker.internal:8097"]), CaddyDirective(["header", "X-Debug", "1"]),
        ])
        // Removing a hand-edited block still removes it (it is ours by its marker).
        XCTAssertEqual(try XCTUnwrap(apply(document, [])).newBytes, bytes(handWritten))
    }

    func testDuplicateManagedNamesKeepTheFirst() throws {
        let input = handWritten + "\n" + block(jellyfin) + "\n" + block(jellyfin)
        let edit = try XCTUnwrap(run(input, [jellyfin]))
        XCTAssertEqual(edit.edits.map(\.kind), [.unchanged, .remove])
        XCTAssertEqual(text(edit.newBytes), handWritten + "\n" + block(jellyfin))
    }

    func testBracelessSiteRefusesAdditions() throws {
        let input = "{\n\tlocal_certs\n}\n\n" + block(jellyfin) + "\nlocalhost # dev\n\nrespond \"hello\"\n"
        let document = try XCTUnwrap(parse(bytes(input)))
        let error = try XCTUnwrap(diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(document, desired: [jellyfin, TestSites.a]) })
        XCTAssertEqual(error.position, SourcePosition(line: 10, column: 1))
        XCTAssertTrue(error.message.contains("has no braces"))
        XCTAssertTrue(error.message.contains("svc-a"))
        XCTAssertEqual(error.hint, "wrap that site in braces (add ' {' after its address and '}' at the end of the file), then run again:\nlocalhost { # dev\n\nrespond \"hello\"\n}")
        let rewritten = try XCTUnwrap(CaddyfileEditor.wrappingBracelessSite(document))
        XCTAssertEqual(text(rewritten), input.replacingOccurrences(of: "localhost #", with: "localhost { #") + "}\n")
        // Updating or removing what is above it is fine.
        let moved = TestSites.proxy("jellyfin", "jellyfin.home.example", "10.0.0.9:80")
        XCTAssertEqual(try XCTUnwrap(apply(document, [moved])).edits.map(\.kind), [.update])
        XCTAssertEqual(text(try XCTUnwrap(apply(document, [])).newBytes), "{\n\tlocal_certs\n}\n\nlocalhost # dev\n\nrespond \"hello\"\n")
    }

    func testCollisionWithHandWrittenSite() throws {
        let input = "a.example {\n}\n\nHTTPS://Jellyfin.Home.Example:443, other.example {\n\treverse_proxy old:1\n}\n"
        let document = try XCTUnwrap(parse(bytes(input)))
        let error = try XCTUnwrap(diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(document, desired: [jellyfin]) })
        XCTAssertEqual(error.position, SourcePosition(line: 4, column: 1))
        XCTAssertEqual(error.message, "host jellyfin.home.example (service 'jellyfin') is already served by a hand-written site block at line 4")
        XCTAssertEqual(error.hint, "remove it, or let reconcile take it over by deleting it so the managed block replaces it "
                       + "(`--adopt` would not take it over: line 4: it also serves other.example, which service 'jellyfin' does not declare)")
        // Other schemes and ports are other sites.
        for address in ["http://jellyfin.home.example", "jellyfin.home.example:8443", "*.home.example"] {
            XCTAssertNotNil(run("\(address) {\n}\n", [jellyfin]), address)
        }
        // A marker separated from its site by a blank line: the hint says why it does not count.
        let orphaned = "# managed by reconcile: jellyfin\n\njellyfin.home.example {\n}\n"
        let hint = diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(try CaddyfileDocument.parse(bytes(orphaned), file: "C"), desired: [jellyfin]) }?.hint
        XCTAssertTrue(hint?.contains("marker comment at line 1") == true, hint ?? "")
    }

    func testDesiredSitesMustNotClash() {
        let twin = TestSites.proxy("jellyfin2", "JELLYFIN.home.example", "x:1")
        XCTAssertTrue(diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(try CaddyfileDocument.parse([], file: "C"), desired: [jellyfin, twin]) }?
            .message.contains("declared by both") == true)
        XCTAssertTrue(diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(try CaddyfileDocument.parse([], file: "C"), desired: [jellyfin, jellyfin]) }?
            .message.contains("declared twice") == true)
    }

    func testOpenImportRefusesAdditions() throws {
        let document = try XCTUnwrap(parse(bytes("(s) {\n\trespond hi\n}\n\nimport s\n")))
        let error = diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(document, desired: [jellyfin]) }
        XCTAssertEqual(error?.position, SourcePosition(line: 5, column: 1))
        XCTAssertNil(CaddyfileEditor.wrappingBracelessSite(document))
    }
}
