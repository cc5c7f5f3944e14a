import Caddyfile
import Diagnostics
import Foundation
import TestSupportCore
import XCTest

/// The Caddy version we render for, and what it changes, checked through both real Caddys:
/// Debian's 2.6.2 (/usr/bin/caddy) and the official 2.11.7 (what `caddy:latest` runs).
final class CaddyVersionTests: XCTestCase {
    static let hash = "$2a$14$LSXvTE9Sx6WGLOnFvAU6wusphy9TzoshDlCYNEDMhFqDTpazi6NR."
    static let v2_11_7 = CaddySyntax(for: CaddyVersion(2, 11, 7))
    static let v2_6_2 = CaddySyntax(for: CaddyVersion(2, 6, 2))

    func testParsesWhatCaddyVersionPrints() {
        XCTAssertEqual(CaddyVersion.parse("v2.11.7 h1:yj0Y4fYZGPkSvibBJ1sTWE33xC0fxztVyXEW5iIdUT4=\n"), CaddyVersion(2, 11, 7))
        XCTAssertEqual(CaddyVersion.parse("2.6.2\n"), CaddyVersion(2, 6, 2))
        XCTAssertEqual(CaddyVersion.parse("v2.8.0-rc.1 h1:abc"), CaddyVersion(2, 8, 0))
        for unknown in ["", "(devel)", "v2.11", "v2.x.1", "2.6.2.1", "v-1.2.3", "v2.11.9999999"] {
            XCTAssertNil(CaddyVersion.parse(unknown), unknown)
        }
        XCTAssertLessThan(CaddyVersion(2, 6, 2), CaddyVersion(2, 11, 7), "numeric, not textual, order")
    }

    func testWhatEachVersionGets() {
        XCTAssertEqual(CaddySyntax.portable.basicAuthDirective, "basicauth")
        XCTAssertEqual(Self.v2_6_2.basicAuthDirective, "basicauth")
        XCTAssertEqual(CaddySyntax(for: CaddyVersion(2, 7, 6)).basicAuthDirective, "basicauth")
        XCTAssertEqual(CaddySyntax(for: CaddyVersion(2, 8, 0)).basicAuthDirective, "basic_auth")
        XCTAssertEqual(Self.v2_11_7.basicAuthDirective, "basic_auth")
        XCTAssertFalse(CaddySyntax.portable.quotedBracesAreArguments)
        XCTAssertFalse(CaddySyntax(for: CaddyVersion(2, 11, 4)).quotedBracesAreArguments)
        XCTAssertTrue(Self.v2_11_7.quotedBracesAreArguments)
        XCTAssertEqual(Self.v2_11_7.description, "Caddy 2.11.7")
        XCTAssertTrue(CaddySyntax.portable.description.hasPrefix("an unknown Caddy version"))
    }

    /// A lone brace token: written as "{" for 2.11.7 (and read back as an argument); refused for
    /// older or unknown Caddys, which would read it as a block.
    func testQuotedBraceIsRenderedOnlyForCaddyThatReadsIt() throws {
        let site = ManagedSite(name: "curly", addresses: ["curly.reconcile.test"], directives: [
            CaddyDirective(["header", "X-Curly-Open", "{"]), CaddyDirective(["reverse_proxy", "127.0.0.1:9001"]),
        ])
        let empty = try XCTUnwrap(parse([]))
        for syntax in [CaddySyntax.portable, Self.v2_6_2] {
            let error = diagnostic { () throws(Diagnostic) in try CaddyfileEditor.apply(empty, desired: [site], syntax: syntax) }
            XCTAssertTrue(error?.message.contains("cannot be written") == true, "\(syntax.description): \(String(describing: error))")
        }
        let edit = try XCTUnwrap(try? CaddyfileEditor.apply(empty, desired: [site], syntax: Self.v2_11_7))
        XCTAssertTrue(text(edit.newBytes).contains("\theader X-Curly-Open \"{\"\n"), text(edit.newBytes))
        let reparsed = try XCTUnwrap(parse(edit.newBytes))
        XCTAssertEqual(reparsed.managedBlocks.first?.directives, site.directives)
        XCTAssertEqual(reparsed.managedBlocks.first?.isHandEdited, false)

        guard let latest = CaddyBinary.requireLatest() else { return }
        let adapted = latest.adapt(edit.newBytes)
        XCTAssertTrue(adapted.succeeded, adapted.stderr)
        XCTAssertTrue(String(decoding: adapted.stdout, as: UTF8.self).contains(#""X-Curly-Open":["{"]"#))
        guard let debian = CaddyBinary.require() else { return }
        XCTAssertFalse(debian.adapt(edit.newBytes).succeeded, "2.6.2 reads the quoted brace as a block: why we refuse it there")
    }

    /// Basic auth as each Caddy wants it: `basic_auth` for 2.11.7 (no deprecation warning), and
    /// `basicauth` for 2.6.2 and for an unknown Caddy, which both read. 2.6.2 refuses `basic_auth`:
    /// rendering for the Caddy that serves is needed, not cosmetic.
    func testBasicAuthSpellingThroughBothCaddys() throws {
        func site(_ syntax: CaddySyntax) -> ManagedSite {
            ManagedSite(name: "auth", addresses: ["auth.reconcile.test"], directives: [
                CaddyDirective(["route"], children: [
                    CaddyDirective([syntax.basicAuthDirective], children: [CaddyDirective(["alice", Self.hash])]),
                    CaddyDirective(["reverse_proxy", "127.0.0.1:9001"]),
                ]),
            ])
        }
        func rendered(_ syntax: CaddySyntax) -> [UInt8] { ManagedBlockRenderer.render(site(syntax), syntax: syntax) }
        guard let debian = CaddyBinary.require(), let latest = CaddyBinary.requireLatest() else { return }

        let forLatest = latest.adapt(rendered(Self.v2_11_7))
        XCTAssertTrue(forLatest.succeeded, forLatest.stderr)
        XCTAssertFalse(forLatest.stderr.contains("deprecated"), forLatest.stderr)
        XCTAssertTrue(String(decoding: forLatest.stdout, as: UTF8.self).contains(#""handler":"authentication""#))

        let forDebian = debian.adapt(rendered(Self.v2_6_2))
        XCTAssertTrue(forDebian.succeeded, forDebian.stderr)
        XCTAssertFalse(debian.adapt(rendered(Self.v2_11_7)).succeeded, "2.6.2 does not know basic_auth")

        for caddy in [debian, latest] {
            let portable = caddy.adapt(rendered(.portable))
            XCTAssertTrue(portable.succeeded, "\(caddy.path): \(portable.stderr)")
        }
        XCTAssertTrue(latest.adapt(rendered(.portable)).stderr.contains("deprecated"),
                      "2.11.7 warns about basicauth: the reason to render basic_auth when the version is known")
    }

    /// Caddy's own quoted-brace adapter input (upstream quoted_brace_args) and the heredoc fixture:
    /// accepted by 2.11.7, and kept byte for byte when a managed site is added.
    func testCurrentCaddyInputsAdaptWithManagedSitesAdded() throws {
        let curly = bytes(":8080 {\n\theader X-Curly-Open \"{\"\n\theader X-Curly-Close \"}\"\n\trespond \"{\"\n}\n")
        let heredoc = try TestPaths.fixture("heredoc.Caddyfile")
        guard let latest = CaddyBinary.requireLatest() else { return }
        XCTAssertEqual(CaddyVersion.parse(latest.versionOutput()), .latestTested)
        for input in [curly, heredoc] {
            let document = try XCTUnwrap(parse(input))
            XCTAssertEqual(document.render(), input)
            let edit = try XCTUnwrap(apply(document, [TestSites.a]))
            XCTAssertTrue(edit.newBytes.starts(with: input))
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let before = latest.adapt(input, in: directory), after = latest.adapt(edit.newBytes, in: directory)
            XCTAssertTrue(before.succeeded, before.stderr)
            XCTAssertTrue(after.succeeded, after.stderr)
            guard let old = AdaptedJSON.parse(before.stdout), let new = AdaptedJSON.parse(after.stdout) else { continue }
            XCTAssertEqual(AdaptedJSON.canonical(AdaptedJSON.normalized(old, managedHosts: TestSites.hosts)),
                           AdaptedJSON.canonical(AdaptedJSON.normalized(new, managedHosts: TestSites.hosts)))
        }
    }
}
