import Caddyfile
import Diagnostics
import TestSupportCore
import XCTest

/// A gateway first set up by hand: its how-to's site block is adopted only with the opt-in, and
/// anything more than the how-to's shape stays refused, naming its line.
final class AdoptionTests: XCTestCase {
    /// The gateway how-to's Caddyfile (Caddy needs the block on lines of its own).
    static let howTo = """
        # Written by hand, following the gateway's how-to.
        mondomaine.ddnsfree.com {
            # Home Assistant, through the Docker host
            reverse_proxy host.docker.internal:8123
        }

        """
    /// What reconcile declares for it: the security headers, then the proxy.
    static let homeAssistant = ManagedSite(name: "homeassistant", addresses: ["mondomaine.ddnsfree.com"], directives: [
        CaddyDirective(["header"], children: [CaddyDirective(["X-Content-Type-Options", "nosniff"])]),
        CaddyDirective(["reverse_proxy", "host.docker.internal:8123"]),
    ])

    func refusal(_ text: String, adopt: Bool, site: ManagedSite = homeAssistant, line: UInt = #line) -> Diagnostic? {
        guard let document = parse(bytes(text), line: line) else { return nil }
        return diagnostic(line: line) { () throws(Diagnostic) in try CaddyfileEditor.apply(document, desired: [site], adopt: adopt) }
    }

    func testHowToBlockIsRefusedWithoutTheOptInAndSaysHow() {
        let error = refusal(Self.howTo, adopt: false)
        XCTAssertEqual(error?.position, SourcePosition(line: 2, column: 1))
        XCTAssertTrue(error?.message.contains("hand-written site block at line 2") == true, error?.message ?? "")
        XCTAssertTrue(error?.hint?.contains("--adopt") == true, error?.hint ?? "")
        XCTAssertTrue(error?.hint?.contains("adopt: true") == true, error?.hint ?? "")
    }

    func testHowToBlockIsAdoptedInPlaceAndThenManaged() throws {
        let document = try XCTUnwrap(parse(bytes(Self.howTo)))
        let edit = try XCTUnwrap(try? CaddyfileEditor.apply(document, desired: [Self.homeAssistant], adopt: true))
        XCTAssertEqual(edit.edits.map(\.kind), [.adopt])
        XCTAssertEqual(edit.edits[0].oldLines, 2...5)
        XCTAssertEqual(edit.edits[0].oldDirectives, [CaddyDirective(["reverse_proxy", "host.docker.internal:8123"])])
        let expected = "# Written by hand, following the gateway's how-to.\n" + text(ManagedBlockRenderer.render(Self.homeAssistant))
        XCTAssertEqual(text(edit.newBytes), expected, "replaced where it stood; the comment above stays")

        // From then on it is an ordinary managed block: no opt-in needed, nothing to do, prune removes it.
        let adopted = try XCTUnwrap(parse(edit.newBytes))
        XCTAssertEqual(adopted.managedBlocks.map(\.name), ["homeassistant"])
        XCTAssertEqual(adopted.managedBlocks.first?.isHandEdited, false)
        let again = try XCTUnwrap(apply(adopted, [Self.homeAssistant]))
        XCTAssertEqual(again.edits.map(\.kind), [.unchanged])
        XCTAssertEqual(again.newBytes, edit.newBytes)
        let pruned = try XCTUnwrap(apply(adopted, []))
        XCTAssertEqual(pruned.edits.map(\.kind), [.remove])
        XCTAssertEqual(text(pruned.newBytes), "# Written by hand, following the gateway's how-to.\n")
    }

    func testExactlyTheManagedDirectivesQualifyToo() throws {
        let written = "mondomaine.ddnsfree.com {\n\theader {\n\t\tX-Content-Type-Options nosniff # ours too\n\t}\n\treverse_proxy host.docker.internal:8123\n}\n"
        let document = try XCTUnwrap(parse(bytes(written)))
        let edit = try XCTUnwrap(try? CaddyfileEditor.apply(document, desired: [Self.homeAssistant], adopt: true))
        XCTAssertEqual(edit.edits.map(\.kind), [.adopt])
    }

    func testAnythingMoreStaysRefusedNamingItsLine() {
        let cases: [(text: String, line: Int, mentions: String)] = [
            ("mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:8123\n\tencode gzip\n}\n", 3, "encode gzip"),
            ("mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:9999\n}\n", 2, "host.docker.internal:9999"),
            ("mondomaine.ddnsfree.com {\n\tbasicauth {\n\t\ta b\n\t}\n\treverse_proxy host.docker.internal:8123\n}\n", 2, "basicauth"),
            ("mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:8123 {\n\t\theader_up X y\n\t}\n}\n", 2, "block of options"),
            ("mondomaine.ddnsfree.com, www.mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:8123\n}\n", 1, "www.mondomaine.ddnsfree.com"),
            ("mondomaine.ddnsfree.com {\n}\n", 1, "empty"),
            ("mondomaine.ddnsfree.com {\n\timport common\n\treverse_proxy host.docker.internal:8123\n}\n", 2, "import common"),
        ]
        for item in cases {
            let adopting = refusal(item.text, adopt: true)
            XCTAssertTrue(adopting?.message.contains("cannot be adopted: line \(item.line):") == true, "\(item.text): \(adopting?.message ?? "accepted")")
            XCTAssertTrue(adopting?.message.contains(item.mentions) == true, "\(item.text): \(adopting?.message ?? "")")
            // Without the opt-in the refusal says why --adopt would not help either.
            let plain = refusal(item.text, adopt: false)
            XCTAssertTrue(plain?.hint?.contains("`--adopt` would not take it over: line \(item.line):") == true, plain?.hint ?? "")
        }
    }

    /// The adopted Caddyfile, as each real Caddy reads it: the host goes to the same upstream.
    func testAdoptedResultAdaptsWithBothCaddys() throws {
        let document = try XCTUnwrap(parse(bytes(Self.howTo)))
        let edit = try XCTUnwrap(try? CaddyfileEditor.apply(document, desired: [Self.homeAssistant], adopt: true))
        for caddy in [CaddyBinary.require(), CaddyBinary.requireLatest()].compactMap({ $0 }) {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            for input in [bytes(Self.howTo), edit.newBytes] {
                let result = caddy.adapt(input, in: directory)
                XCTAssertTrue(result.succeeded, "\(caddy.path): \(result.stderr)")
                guard let json = AdaptedJSON.parse(result.stdout) else { continue }
                let dials = AdaptedJSON.routes(forHost: "mondomaine.ddnsfree.com", in: json).flatMap(AdaptedJSON.reverseProxyDials)
                XCTAssertEqual(dials, ["host.docker.internal:8123"], caddy.path)
            }
        }
    }
}
