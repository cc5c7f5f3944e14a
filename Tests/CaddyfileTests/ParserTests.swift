import Caddyfile
import Diagnostics
import XCTest

/// Block structure, as Caddy's parser groups it, and the errors a person can act on.
final class ParserTests: XCTestCase {
    func kinds(_ input: String, line: UInt = #line) -> [TopLevelBlock.Kind] {
        parse(bytes(input), line: line)?.blocks.map(\.kind) ?? []
    }

    func parseError(_ input: String, line: UInt = #line) -> Diagnostic? {
        diagnostic(line: line) { () throws(Diagnostic) in try CaddyfileDocument.parse(bytes(input), file: "Caddyfile") }
    }

    func testGlobalOptionsSnippetsSitesAndImports() throws {
        let input = "{\n\tlocal_certs\n}\n\n(common) {\n\theader -Server\n}\n\nimport sites/*.caddy\n\na.example, b.example {\n\timport common\n}\n"
        let document = try XCTUnwrap(parse(bytes(input)))
        XCTAssertEqual(document.blocks.map(\.kind), [
            .globalOptions, .snippet(name: "common"), .importDirective(arguments: ["sites/*.caddy"]),
            .site(addresses: ["a.example", "b.example"]),
        ])
        XCTAssertEqual(document.blocks.map(\.firstLine), [1, 5, 9, 11])
        XCTAssertEqual(document.blocks.map(\.lastLine), [3, 7, 9, 13])
        let site = document.blocks[3]
        XCTAssertEqual(text(Array(document.bytes[site.byteRange])), "a.example, b.example {\n\timport common\n}")
        XCTAssertEqual(site.position, SourcePosition(line: 11, column: 1))
        XCTAssertNil(document.openEndedBlock)
    }

    func testAddressLists() {
        XCTAssertEqual(kinds("a, b {\n}\n"), [.site(addresses: ["a", "b"])])
        XCTAssertEqual(kinds("a b {\n}\n"), [.site(addresses: ["a", "b"])])
        XCTAssertEqual(kinds("a,\n\tb,\n\tc {\n}\n"), [.site(addresses: ["a", "b", "c"])], "a trailing comma continues the list")
        XCTAssertEqual(kinds("a , b {\n}\n"), [.site(addresses: ["a", "b"])])
        XCTAssertEqual(kinds("a.com {\n} b.com {\n}\n"), [.site(addresses: ["a.com"]), .site(addresses: ["b.com"])],
                       "Caddy accepts the next site right after '}'")

        let glued = parseError("a.com,b.com {\n}\n")
        XCTAssertEqual(glued?.position, SourcePosition(line: 1, column: 1))
        XCTAssertTrue(glued?.message.contains("comma") == true)
        XCTAssertEqual(parseError("a.com, {\n}\n")?.position, SourcePosition(line: 1, column: 8))
        XCTAssertEqual(parseError("a.com {\n}\nb.com,\n")?.position, SourcePosition(line: 3, column: 1))
        XCTAssertEqual(parseError("a.com{\n}\n")?.message, "site address 'a.com{' ends with '{'")
    }

    func testBracelessSites() throws {
        let document = try XCTUnwrap(parse(bytes("{\n\tdebug\n}\n\nlocalhost\n\nrespond \"hi\"\nfile_server {\n\tbrowse\n}\n")))
        XCTAssertEqual(document.blocks.map(\.kind), [.globalOptions, .bracelessSite(addresses: ["localhost"])])
        XCTAssertEqual(document.bracelessSite?.firstLine, 5)
        XCTAssertEqual(document.bracelessSite?.lastLine, 10)
        XCTAssertEqual(document.openEndedBlock, document.bracelessSite)
        XCTAssertEqual(kinds(":80"), [.bracelessSite(addresses: [":80"])])
        XCTAssertEqual(kinds("a.com {\n}\nb.com\nrespond hi\n"), [.site(addresses: ["a.com"]), .bracelessSite(addresses: ["b.com"])])
        XCTAssertEqual(parseError("localhost\nrespond hi\n}\n")?.position, SourcePosition(line: 3, column: 1))
    }

    func testSnippets() {
        XCTAssertEqual(kinds("(args) {\n\tlog {args[0]}\n}\na {\n\timport args x\n}\n"),
                       [.snippet(name: "args"), .site(addresses: ["a"])])
        XCTAssertEqual(parseError("(s)\nrespond hi\n")?.message, "snippet (s) has no block")
    }

    func testTopLevelImportOfDirectivesRunsToTheEnd() throws {
        // Caddy splices the snippet in and reads `respond hi` as site addresses: a braceless site.
        let document = try XCTUnwrap(parse(bytes("(s) {\n\trespond hi\n}\n\nimport s\nlog {\n}\n")))
        XCTAssertEqual(document.blocks.map(\.kind), [.snippet(name: "s"), .importDirective(arguments: ["s"])])
        XCTAssertEqual(document.openEndedBlock?.firstLine, 5)
        XCTAssertEqual(document.openEndedBlock?.lastLine, 7)
        // A snippet of whole sites is fine; so is a file import, and an import cycle is not.
        XCTAssertNil(parse(bytes("(s) {\n\ta.com {\n\t}\n}\nimport s\n"))?.openEndedBlock)
        XCTAssertNil(parse(bytes("import other.caddy\n"))?.openEndedBlock)
        XCTAssertNotNil(parse(bytes("(a) {\n\timport b\n}\n(b) {\n\timport a\n}\nimport a\n"))?.openEndedBlock)
        XCTAssertEqual(parseError("import\n")?.position, SourcePosition(line: 1, column: 1))
    }

    func testGlobalOptionsMustComeFirst() {
        let error = parseError("a.com {\n}\n\n{\n\tdebug\n}\n")
        XCTAssertEqual(error?.position, SourcePosition(line: 4, column: 1))
        XCTAssertTrue(error?.message.contains("global options") == true)
        XCTAssertEqual(kinds("(s) {\n}\n{\n\tdebug\n}\n"), [.snippet(name: "s"), .globalOptions], "snippets may come first")
    }

    func testOpenBraceEndsItsLine() {
        let sameLine = parseError("a.com { respond hi }\n")
        XCTAssertEqual(sameLine?.position, SourcePosition(line: 1, column: 9))
        XCTAssertEqual(sameLine?.message, "'{' must be the last thing on its line")
        XCTAssertEqual(parseError("a.com {\n\thandle { respond hi\n\t}\n}\n")?.position, SourcePosition(line: 2, column: 11))
        // Comments after `{` are fine.
        XCTAssertEqual(kinds("a.com { # note\n\trespond hi\n}\n"), [.site(addresses: ["a.com"])])
    }

    func testOpenBraceCannotStartALine() {
        let site = parseError("a.com\n{\n\trespond hi\n}\n")
        XCTAssertEqual(site?.position, SourcePosition(line: 2, column: 1))
        XCTAssertTrue(site?.hint?.contains("line 1") == true)
        XCTAssertEqual(parseError("a.com {\n\thandle\n\t{\n\t}\n}\n")?.position, SourcePosition(line: 3, column: 2))
    }

    func testCloseBraceRules() {
        let unmatched = parseError("a.com {\n\trespond hi\n}\n}\n")
        XCTAssertEqual(unmatched?.position, SourcePosition(line: 4, column: 1))
        XCTAssertEqual(unmatched?.message, "unexpected '}' with no open block")
        // The `}` closing a site starts its line (Caddy: "Unexpected '}'"); nested ones and a
        // snippet's need not, and tokens may follow a nested one (Caddy accepts all three).
        let site = parseError("a.com {\n\trespond hi }\n")
        XCTAssertEqual(site?.position, SourcePosition(line: 2, column: 13))
        XCTAssertEqual(site?.message, "the '}' closing this block must start its line")
        XCTAssertEqual(kinds("a.com {\n\thandle {\n\t\trespond hi }\n}\n"), [.site(addresses: ["a.com"])])
        XCTAssertEqual(kinds("a.com {\n\thandle {\n\t} x\n}\n"), [.site(addresses: ["a.com"])])
        XCTAssertEqual(kinds("(s) {\n\trespond hi }\n"), [.snippet(name: "s")])
        // The last `}` closes `handle {`, so the site's own `{` is the one left open.
        let unclosed = parseError("a.com {\n\thandle {\n\t\trespond hi\n}\n")
        XCTAssertEqual(unclosed?.position, SourcePosition(line: 1, column: 7))
        XCTAssertEqual(unclosed?.message, "this '{' is never closed")
        XCTAssertEqual(parseError("a.com {}\n")?.position, SourcePosition(line: 1, column: 7))
        XCTAssertEqual(parseError("a.com {\n\ttls {}\n}\n")?.position, SourcePosition(line: 2, column: 6))
    }

    func testQuotedBracesAreArguments() throws {
        // Caddy's own adapter test (quoted_brace_args), accepted by Caddy 2.11.7.
        let curly = ":8080 {\n\theader X-Curly-Open \"{\"\n\theader X-Curly-Close \"}\"\n\trespond \"{\"\n}\n"
        let document = try XCTUnwrap(parse(bytes(curly)))
        XCTAssertEqual(document.render(), bytes(curly))
        XCTAssertEqual(document.directives(of: document.blocks[0]), [
            CaddyDirective(["header", "X-Curly-Open", "{"]), CaddyDirective(["header", "X-Curly-Close", "}"]),
            CaddyDirective(["respond", "{"]),
        ])
        // Caddy's parse_test: backticks and quotes alike; a quoted "{" before a real block.
        let mixed = try XCTUnwrap(parse(bytes("localhost {\n dir1 \"{\" `}`\n dir2 \"}\"\n dir3 \"{\"\n}")))
        XCTAssertEqual(mixed.directives(of: mixed.blocks[0])?.map(\.tokens), [["dir1", "{", "}"], ["dir2", "}"], ["dir3", "{"]])
        let nested = try XCTUnwrap(parse(bytes("localhost {\n dir1 \"{\" {\n a b\n }\n dir2 foo\n}")))
        XCTAssertEqual(nested.directives(of: nested.blocks[0]), [
            CaddyDirective(["dir1", "{"], children: [CaddyDirective(["a", "b"])]), CaddyDirective(["dir2", "foo"]),
        ])
        // A heredoc holding a brace is an argument too; a quoted address may end with "{".
        let heredoc = try XCTUnwrap(parse(bytes("a.com {\n\trespond <<T\n\t\t{\n\t\tT\n}\n\"b{\" {\n}\n")))
        XCTAssertEqual(heredoc.directives(of: heredoc.blocks[0]), [CaddyDirective(["respond", "{"])])
        XCTAssertEqual(heredoc.blocks[1].kind, .site(addresses: ["b{"]))
        // A bare one is still a brace: the same line with the quotes dropped is refused.
        let error = parseError("a.com {\n\trespond { 200\n}\n")
        XCTAssertEqual(error?.position, SourcePosition(line: 2, column: 12))
        XCTAssertEqual(error?.message, "'{' must be the last thing on its line")
    }

    func testContinuationAndCommentQuirksGroupLikeCaddy() throws {
        let input = "a.com {\n\trespond hi \\\n\t\t200\n\t# C:\\dir\n\theader X y\n}\n"
        let document = try XCTUnwrap(parse(bytes(input + "# managed by reconcile: x\nb.com {\n\trespond hi \\\n\t\t200\n\theader X y # C:\\dir\n\t\tZ\n}\n")))
        // In the managed block: the continuation joins lines, and so does a trailing comment
        // holding a backslash (Caddy notices escapes inside comments).
        XCTAssertEqual(document.managedBlocks.first?.directives, [
            CaddyDirective(["respond", "hi", "200"]), CaddyDirective(["header", "X", "y", "Z"]),
        ])
    }

    func testDirectiveTreesFollowCaddysSegments() throws {
        let input = "# managed by reconcile: x\nx.example {\n\thandle /a {\n\t\trespond a }\n\thandle {\n\t} after\n}\n"
        let block = try XCTUnwrap(parse(bytes(input))?.managedBlocks.first)
        XCTAssertEqual(block.directives, [
            CaddyDirective(["handle", "/a"], children: [CaddyDirective(["respond", "a"])]),
            CaddyDirective(["handle", "after"], children: []),
        ])
    }

    func testDirectiveTreesOfManagedBlocks() throws {
        let input = "# managed by reconcile: app\napp.example {\n\treverse_proxy a:1 b:2 {\n\t\theader_up Host {host}\n\t\ttransport http {\n\t\t}\n\t}\n\t\"quoted arg\" `x`\n}\n"
        let block = try XCTUnwrap(parse(bytes(input))?.managedBlocks.first)
        XCTAssertEqual(block.directives, [
            CaddyDirective(["reverse_proxy", "a:1", "b:2"], children: [
                CaddyDirective(["header_up", "Host", "{host}"]),
                CaddyDirective(["transport", "http"], children: []),
            ]),
            CaddyDirective(["quoted arg", "x"]),
        ])
        XCTAssertEqual(block.addresses, ["app.example"])
    }

    func testRenderRebuildsEveryByte() throws {
        let inputs = [
            "", "\n\n", "# only a comment", "\u{FEFF}a.com {\n}\n", "a.com {\r\n\trespond hi\r\n}\r\n",
            "  {\n  debug\n  }\n\n\ta.com   b.com{$X} {   # c\n}   \n\n# end", "localhost\nrespond <<EOF\n  hi\n  EOF\n",
        ]
        for input in inputs {
            let document = try XCTUnwrap(parse(bytes(input)), input.debugDescription)
            XCTAssertEqual(document.render(), bytes(input), input.debugDescription)
        }
    }
}
