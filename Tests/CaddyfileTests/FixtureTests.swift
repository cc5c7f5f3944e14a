import Caddyfile
import Diagnostics
import Foundation
import TestSupportCore
import XCTest

/// Hand-written Caddyfiles with the awkward parts people write (Fixtures/): every byte outside
/// managed blocks survives add, update and remove, and Caddy reads the hand-written sites the same.
final class FixtureTests: XCTestCase {
    struct Fixture {
        var name: String
        /// How the fixture's existing managed blocks are declared (so they are kept).
        var existing: [ManagedSite] = []
        /// Debian's caddy 2.6.2 adapts it (the heredoc fixture needs 2.7+; 2.11.7 adapts them all).
        var caddyAccepts = true
    }

    static let fixtures: [Fixture] = [
        Fixture(name: "heredoc.Caddyfile", caddyAccepts: false),
        Fixture(name: "snippets_args.Caddyfile"),
        Fixture(name: "env_placeholders.Caddyfile"),
        Fixture(name: "odd_comments.Caddyfile"),
        Fixture(name: "crlf.Caddyfile"),
        Fixture(name: "tabs_spaces.Caddyfile"),
        Fixture(name: "global_local_certs.Caddyfile"),
        Fixture(name: "braceless.Caddyfile", existing: [TestSites.proxy("legacy", "legacy.example", "127.0.0.1:7000")]),
        Fixture(name: "hand_edited_managed.Caddyfile", existing: [
            TestSites.proxy("homeassistant", "home.example", "host.docker.internal:8123"),
            TestSites.proxy("jellyfin", "jellyfin.example", "host.docker.internal:8096"),
        ]),
        Fixture(name: "no_trailing_newline.Caddyfile"),
        Fixture(name: "continuation.Caddyfile"),
    ]

    func testEveryFixtureIsCovered() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: TestPaths.fixtures.path).filter { $0.hasSuffix(".Caddyfile") }
        XCTAssertEqual(Set(onDisk), Set(Self.fixtures.map(\.name)))
        XCTAssertTrue(try TestPaths.fixture("crlf.Caddyfile").contains(0x0D), "crlf.Caddyfile lost its CRs (see Fixtures/.gitattributes)")
    }

    func testRoundTrips() throws {
        var adaptJobs: [(fixture: Fixture, base: [UInt8], result: [UInt8])] = []
        for fixture in Self.fixtures {
            let original = try TestPaths.fixture(fixture.name)
            guard let document = parse(original, file: fixture.name) else { continue }
            XCTAssertEqual(document.render(), original, fixture.name)

            var base = original
            if document.bracelessSite != nil {
                XCTAssertNotNil(diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(document, desired: fixture.existing + [TestSites.a]) })
                // Without additions the managed block above it can still be updated and removed.
                let restated = apply(document, fixture.existing)
                XCTAssertEqual(restated?.edits.map(\.kind), fixture.existing.map { _ in .unchanged }, fixture.name)
                assertUnmanagedBytesSurvive(document, in: apply(document, [])?.newBytes ?? [], removed: fixture.existing.count, fixture.name)
                base = try XCTUnwrap(CaddyfileEditor.wrappingBracelessSite(document))
            }
            guard let baseDocument = parse(base, file: fixture.name) else { continue }
            let managedBefore = baseDocument.managedBlocks.map(\.name)
            XCTAssertEqual(managedBefore, fixture.existing.map(\.name), fixture.name)

            // Add, then update, remove one, remove the added ones, remove everything.
            let moved = TestSites.proxy("svc-a", "svc-a.reconcile.test", "127.0.0.1:9101")
            let steps: [(desired: [ManagedSite], kinds: [SiteEdit.Kind]?)] = [
                (fixture.existing + [TestSites.a, TestSites.b], nil),
                (fixture.existing + [moved, TestSites.b], fixture.existing.map { _ in .unchanged } + [.update, .unchanged]),
                (fixture.existing + [TestSites.b], fixture.existing.map { _ in .unchanged } + [.remove, .unchanged]),
                (fixture.existing, fixture.existing.map { _ in .unchanged } + [.remove]),
                ([], fixture.existing.map { _ in .remove }),
            ]
            var current = baseDocument
            var results: [[UInt8]] = []
            for (i, step) in steps.enumerated() {
                guard let edit = apply(current, step.desired), let next = parse(edit.newBytes, file: fixture.name) else { break }
                if let kinds = step.kinds { XCTAssertEqual(edit.edits.map(\.kind), kinds, "\(fixture.name) step \(i)") }
                // Only the last step removes blocks that were in the base (each may take its blank line).
                let removed = step.desired.isEmpty ? fixture.existing.count : 0
                assertUnmanagedBytesSurvive(baseDocument, in: edit.newBytes, removed: removed, "\(fixture.name) step \(i)")
                XCTAssertEqual(next.managedBlocks.map(\.name), step.desired.map(\.name), "\(fixture.name) step \(i)")
                XCTAssertFalse(next.managedBlocks.contains(where: \.isHandEdited), "\(fixture.name) step \(i)")
                XCTAssertEqual(next.render(), edit.newBytes)
                let again = apply(next, step.desired)
                XCTAssertEqual(again?.newBytes, edit.newBytes, "\(fixture.name) step \(i): not idempotent")
                results.append(edit.newBytes)
                current = next
            }
            guard results.count == steps.count else { continue }

            // Back to the declared existing blocks: the same bytes as declaring them on the base
            // (plus the final newline a file gets with its first added site).
            let declared = apply(baseDocument, fixture.existing)?.newBytes ?? []
            XCTAssertEqual(text(results[3]), text(base.last == 0x0A ? declared : declared + [0x0A]), fixture.name)
            if fixture.existing.isEmpty {
                let expected = base.last == 0x0A ? base : base + [0x0A]
                XCTAssertEqual(text(results[4]), text(expected), "\(fixture.name): prune must give the original back")
            }
            adaptJobs.append((fixture, base, results[0]))
        }
        checkHandEditedFixture()

        if let caddy = CaddyBinary.require() { checkAdapts(adaptJobs, caddy, latest: false) }
        if let latest = CaddyBinary.requireLatest() { checkAdapts(adaptJobs, latest, latest: true) }
    }

    /// Caddy reads the hand-written sites the same before and after, and routes the managed hosts.
    func checkAdapts(_ adaptJobs: [(fixture: Fixture, base: [UInt8], result: [UInt8])], _ caddy: CaddyBinary, latest: Bool) {
        for job in adaptJobs {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let before = caddy.adapt(job.base, name: job.fixture.name, in: directory)
            let after = caddy.adapt(job.result, name: job.fixture.name, in: directory)
            guard job.fixture.caddyAccepts || latest else {
                XCTAssertFalse(before.succeeded, "\(job.fixture.name): caddy 2.6.2 was expected to reject it")
                XCTAssertFalse(after.succeeded, job.fixture.name)
                continue
            }
            XCTAssertTrue(before.succeeded, "\(job.fixture.name) (\(caddy.path)): \(before.stderr)")
            XCTAssertTrue(after.succeeded, "\(job.fixture.name) (\(caddy.path)): \(after.stderr)")
            guard let old = AdaptedJSON.parse(before.stdout), let new = AdaptedJSON.parse(after.stdout) else { continue }
            let managedHosts = TestSites.hosts.union(job.fixture.existing.flatMap(\.addresses))
            let expected = AdaptedJSON.canonical(AdaptedJSON.normalized(old, managedHosts: managedHosts))
            let actual = AdaptedJSON.canonical(AdaptedJSON.normalized(new, managedHosts: managedHosts))
            XCTAssertTrue(expected == actual, "\(job.fixture.name):\n\(lineDiff(expected, actual))")
            for site in job.fixture.existing + [TestSites.a, TestSites.b] {
                let upstream = site.directives.first { $0.tokens.first == "reverse_proxy" }?.tokens[1] ?? "?"
                let dials = AdaptedJSON.routes(forHost: site.addresses[0], in: new).flatMap(AdaptedJSON.reverseProxyDials)
                XCTAssertTrue(dials.contains(upstream), "\(job.fixture.name): \(site.addresses[0]) -> \(dials)")
            }
        }
    }

    /// The fixture with drift: one pristine block, one edited by hand.
    func checkHandEditedFixture() {
        guard let fixture = Self.fixtures.first(where: { $0.name == "hand_edited_managed.Caddyfile" }),
              let original = try? TestPaths.fixture(fixture.name),
              let document = parse(original, file: fixture.name) else { return XCTFail("hand_edited_managed.Caddyfile") }
        XCTAssertEqual(document.managedBlocks.map(\.isHandEdited), [false, true])
        XCTAssertEqual(document.managedBlocks.map(\.firstLine), [11, 16])
        guard let edit = apply(document, fixture.existing + [TestSites.a]) else { return }
        XCTAssertEqual(edit.edits.map(\.kind), [.unchanged, .update, .add])
        XCTAssertEqual(edit.edits.map(\.wasHandEdited), [false, true, false])
        XCTAssertEqual(edit.edits[1].oldLines, 16...20)
        XCTAssertEqual(edit.edits[1].oldDirectives, [
            CaddyDirective(["reverse_proxy", "host.docker.internal:8097"]), CaddyDirective(["header", "X-Debug", "on"]),
        ])
        // Pruning everything leaves exactly the hand-written text.
        let pruned = text(apply(document, [])?.newBytes ?? [])
        XCTAssertEqual(pruned, "{\n\temail admin@example.com\n}\n\n# Hand-written sites first.\nblog.example {\n\troot * /srv/blog\n\tfile_server\n}\n\n# A hand-written site after the managed ones.\nwiki.example {\n\treverse_proxy 127.0.0.1:3000\n}\n")
    }
}
