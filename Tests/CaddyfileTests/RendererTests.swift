import Caddyfile
import Diagnostics
import Foundation
import XCTest

/// What we write: `caddy fmt` style, quoted only where needed, read back exactly.
final class RendererTests: XCTestCase {
    func testGolden() {
        let site = ManagedSite(name: "jellyfin", addresses: ["jellyfin.home.example", "media.home.example"], directives: [
            CaddyDirective(["encode", "gzip"]),
            CaddyDirective(["reverse_proxy", "host.docker.internal:8096"], children: [
                CaddyDirective(["header_up", "X-Forwarded-Host", "{host}"]),
                CaddyDirective(["transport", "http"], children: []),
            ]),
        ])
        let body = "jellyfin.home.example, media.home.example {\n\tencode gzip\n\treverse_proxy host.docker.internal:8096 {\n\t\theader_up X-Forwarded-Host {host}\n\t\ttransport http {\n\t\t}\n\t}\n}\n"
        XCTAssertEqual(text(ManagedBlockRenderer.render(site)),
                       "# managed by reconcile: jellyfin checksum=\(Checksum.hex(bytes(body)))\n" + body)
        XCTAssertEqual(text(ManagedBlockRenderer.render(ManagedSite(name: "e", addresses: ["e.example"], directives: []))),
                       "# managed by reconcile: e checksum=\(Checksum.hex(bytes("e.example {\n}\n")))\ne.example {\n}\n")
    }

    /// Tokens that need quoting, and tokens that must stay bare.
    static let trickyTokens = [
        "plain", "{host}", "{http.request.header.X-Forwarded-For}", "{$UPSTREAM:localhost:8080}", "/path*", "a=b",
        "two words", "", "#not-a-comment", "say \"hi\"", "back\\slash", "ends\\", "a\\\"b", "foo{", "}bar", "{}", "{a}b}",
        "<<EOF", "tab\there", "new\nline", "`tick`", "caf\u{00E9}", "nbsp\u{00A0}x", "{args[0]}",
    ]

    static let trickySite = ManagedSite(name: "tricky", addresses: ["tricky.reconcile.test"],
                                        directives: trickyTokens.map { CaddyDirective(["header", "X-Test", $0]) }
                                            + [CaddyDirective(["respond", "ok"])])

    func testQuotingRoundTripsThroughTheLexer() throws {
        let rendered = ManagedBlockRenderer.render(Self.trickySite)
        let document = try XCTUnwrap(parse(rendered))
        let block = try XCTUnwrap(document.managedBlocks.first)
        XCTAssertEqual(block.directives, Self.trickySite.directives)
        XCTAssertFalse(block.isHandEdited)
        let lines = text(rendered).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines.contains("\theader X-Test {host}"), "placeholders stay bare")
        XCTAssertTrue(lines.contains("\theader X-Test {$UPSTREAM:localhost:8080}"))
        XCTAssertTrue(lines.contains("\theader X-Test \"two words\""))
        XCTAssertTrue(lines.contains("\theader X-Test \"say \\\"hi\\\"\""))
        XCTAssertTrue(lines.contains("\theader X-Test `ends\\`"), "a trailing backslash cannot be double-quoted")
        XCTAssertTrue(lines.contains("\theader X-Test \"foo{\""), "caddy fmt 2.6 would take a bare foo{ for a block")
    }

    func testValidationRefusesWhatCannotBeWritten() {
        func refused(_ site: ManagedSite, line: UInt = #line) -> Diagnostic? {
            diagnostic(line: line) { () throws(Diagnostic) in try ManagedSiteValidator.validate(site, file: "Caddyfile") }
        }
        let ok = TestSites.a
        XCTAssertNoThrow(try ManagedSiteValidator.validate(ok, file: "Caddyfile"))
        XCTAssertNoThrow(try ManagedSiteValidator.validate(Self.trickySite, file: "Caddyfile"))
        XCTAssertNotNil(refused(ManagedSite(name: "two words", addresses: ["a.example"], directives: [])))
        XCTAssertNotNil(refused(ManagedSite(name: "", addresses: ["a.example"], directives: [])))
        XCTAssertNotNil(refused(ManagedSite(name: "x", addresses: [], directives: [])))
        // Issue #23: a line of a managed block never starts with a word Caddy reads as its own, at any depth,
        // and a header never starts with one of the header directive's operation signs.
        let header = { (name: String) in ManagedSite(name: "x", addresses: ["a.example"],
                                                     directives: [CaddyDirective(tokens: ["header"], children: [CaddyDirective([name, "v"])])]) }
        for name in ["import", "Import", "defer", "match", "+X-Add", "-X-Drop", "?X-Default", ">X-Deferred"] {
            XCTAssertNotNil(refused(header(name)), name)
        }
        XCTAssertNoThrow(try ManagedSiteValidator.validate(header("Import-Map"), file: "Caddyfile"))
        XCTAssertNotNil(refused(ManagedSite(name: "x", addresses: ["a.example"], directives: [CaddyDirective(["import", "/etc/passwd"])])))
        XCTAssertNotNil(refused(ManagedSite(name: "x", addresses: ["a.example"], directives: [
            CaddyDirective(tokens: ["route"], children: [CaddyDirective(tokens: ["basic_auth"], children: [CaddyDirective(["import", "h"])])]),
        ])))
        for address in ["a.example,b.example", "a example", "", "(snippet)", "@matcher", "\"q\"", "import", "a{"] {
            XCTAssertNotNil(refused(ManagedSite(name: "x", addresses: [address], directives: [])), address)
        }
        XCTAssertNotNil(refused(ManagedSite(name: "x", addresses: ["a.example"], directives: [CaddyDirective(["respond", "{"])])))
        XCTAssertNotNil(refused(ManagedSite(name: "x", addresses: ["a.example"], directives: [CaddyDirective([])])))
        let nested = CaddyDirective(["handle"], children: [CaddyDirective(["respond", "`a\\\"b`"])])
        let error = refused(ManagedSite(name: "x", addresses: ["a.example"], directives: [nested]))
        XCTAssertEqual(error?.file, "Caddyfile")
        XCTAssertTrue(error?.message.contains("service 'x'") == true)
    }

    /// caddy fmt leaves rendered blocks as they are, and caddy adapt routes each host to its upstream.
    func testCaddyAgrees() throws {
        guard let caddy = CaddyBinary.require() else { return }
        for site in [TestSites.a, TestSites.b, Self.trickySite] {
            let block = ManagedBlockRenderer.render(site)
            let formatted = caddy.format(block)
            XCTAssertTrue(formatted.succeeded, formatted.stderr)
            XCTAssertEqual(text(Array(formatted.stdout)), text(block), "caddy fmt changed the block of \(site.name)")
        }

        let sites = (1...3).map { TestSites.proxy("app\($0)", "app\($0).reconcile.test", "10.0.0.\($0):80\($0)") } + [Self.trickySite]
        let global = bytes("{\n\tlocal_certs\n\tskip_install_trust\n}\n")
        let edit = try CaddyfileEditor.apply(try CaddyfileDocument.parse(global, file: "Caddyfile"), desired: sites)
        let adapted = caddy.adapt(edit.newBytes)
        XCTAssertTrue(adapted.succeeded, adapted.stderr)
        let json = try XCTUnwrap(AdaptedJSON.parse(adapted.stdout))
        for i in 1...3 {
            let routes = AdaptedJSON.routes(forHost: "app\(i).reconcile.test", in: json)
            XCTAssertEqual(routes.count, 1)
            XCTAssertEqual(routes.flatMap(AdaptedJSON.reverseProxyDials), ["10.0.0.\(i):80\(i)"])
        }
        // Every tricky token reached Caddy as the value we meant.
        let tricky = AdaptedJSON.canonical(AdaptedJSON.routes(forHost: "tricky.reconcile.test", in: json))
        for token in ["two words", "say \\\"hi\\\"", "ends\\\\", "foo{", "caf\u{00E9}", "#not-a-comment"] {
            XCTAssertTrue(tricky.contains("\"\(token)\""), "\(token) missing from \(tricky)")
        }
    }
}
