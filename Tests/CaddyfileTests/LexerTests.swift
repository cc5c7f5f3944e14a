import Caddyfile
import Diagnostics
import XCTest

/// The lexer, rule by rule (see ../shared/reference/caddy.md and Caddy's lexer.go).
final class LexerTests: XCTestCase {
    func lex(_ input: String, line: UInt = #line) -> [CaddyToken] {
        do {
            return try CaddyLexer.tokenize(bytes(input), file: "test")
        } catch {
            XCTFail("lex failed: \(error)", line: line)
            return []
        }
    }

    func texts(_ input: String, line: UInt = #line) -> [String] { lex(input, line: line).map(\.text) }

    func lexError(_ input: String, line: UInt = #line) -> Diagnostic? {
        diagnostic(line: line) { () throws(Diagnostic) in try CaddyLexer.tokenize(bytes(input), file: "test") }
    }

    func testSplitsOnWhitespaceOnly() {
        XCTAssertEqual(texts("a b\tc\n  d"), ["a", "b", "c", "d"])
        XCTAssertEqual(texts("foo} a,b a.com,"), ["foo}", "a,b", "a.com,"])
        let tokens = lex("a b\n  d")
        XCTAssertEqual(tokens.map(\.line), [1, 1, 2])
        XCTAssertEqual(tokens.map(\.column), [1, 3, 3])
        XCTAssertEqual(tokens.map(\.byteRange), [0..<1, 2..<3, 6..<7])
    }

    func testUnicodeSpacesSeparateAndColumnsCountCharacters() {
        XCTAssertEqual(texts("a\u{00A0}b\u{3000}c"), ["a", "b", "c"])
        let tokens = lex("é ü x")
        XCTAssertEqual(tokens.map(\.column), [1, 3, 5])
        XCTAssertEqual(tokens[2].byteRange, 6..<7)
    }

    func testCarriageReturnIsIgnored() {
        XCTAssertEqual(texts("a\r\nb\r\n"), ["a", "b"])
        XCTAssertEqual(lex("a\r\nb").map(\.line), [1, 2])
        // Caddy drops CR even inside a word.
        XCTAssertEqual(texts("a\rb"), ["ab"])
    }

    func testQuotesOnlyAtTokenStart() {
        let tokens = lex(#"a"b c" "d e""#)
        XCTAssertEqual(tokens.map(\.text), [#"a"b"#, #"c""#, "d e"])
        XCTAssertEqual(tokens.map(\.kind), [.word, .word, .quoted])
        XCTAssertEqual(tokens[2].byteRange, 7..<12, "the range covers the quotes")
    }

    func testQuotedStringSpansLines() {
        let tokens = lex("\"a\nb\" c\nd")
        XCTAssertEqual(tokens.map(\.text), ["a\nb", "c", "d"])
        XCTAssertEqual(tokens.map(\.line), [1, 2, 3])
        XCTAssertEqual(tokens[1].column, 4)
    }

    func testOnlyEscapedQuoteIsAnEscapeInsideQuotes() {
        XCTAssertEqual(texts(#""a\"b\x\\""#), [#"a"b\x\\"#])
        XCTAssertEqual(texts(#""""#), [""])
        // Outside quotes a backslash is literal (except before a newline or '<'); Caddy's quirk:
        // `\"c"` opens a quoted token whose first character is still "escaped".
        XCTAssertEqual(texts(#"a\b \"c""#), [#"a\b"#, #"\c"#])
    }

    func testBackticksAreLiteral() {
        let tokens = lex(#"`a\"b "c"` d"#)
        XCTAssertEqual(tokens.map(\.text), [#"a\"b "c""#, "d"])
        XCTAssertEqual(tokens[0].kind, .backtick)
    }

    func testBackslashNewlineContinuesTheLine() {
        let tokens = lex("a \\\n  b\nc")
        XCTAssertEqual(tokens.map(\.text), ["a", "b", "c"])
        XCTAssertEqual(tokens.map(\.line), [1, 2, 3], "positions stay physical")
    }

    func testHeredoc() {
        let tokens = lex("respond <<EOF\n\thello\n\n\t  world\n\tEOF 200\nnext")
        XCTAssertEqual(tokens.map(\.text), ["respond", "hello\n\n  world", "200", "next"])
        XCTAssertEqual(tokens[1].kind, .heredoc)
        XCTAssertEqual(tokens[1].line, 1)
        XCTAssertEqual(tokens[2].line, 5)
        XCTAssertEqual(tokens[1].byteRange, 8..<35)
        XCTAssertEqual(texts("a <<END\nx\nEND"), ["a", "x"])
        XCTAssertEqual(texts("\\<<EOF x"), ["<<EOF", "x"], "an escaped '<' is no heredoc")
        XCTAssertEqual(texts("<<EOF x"), ["<<EOF", "x"], "a space after the marker makes it a word")
    }

    func testHeredocErrors() {
        XCTAssertEqual(lexError("respond <<\nx")?.position, SourcePosition(line: 1, column: 9))
        XCTAssertEqual(lexError("respond <<<EOF\nx\nEOF")?.message, "too many '<' for a heredoc")
        XCTAssertTrue(lexError("respond <<E.F\nx\nE.F")?.message.contains("marker") == true)
        let unterminated = lexError("a\nrespond <<EOF\nhello\n")
        XCTAssertEqual(unterminated?.position, SourcePosition(line: 2, column: 9))
        XCTAssertTrue(unterminated?.message.contains("incomplete heredoc <<EOF") == true)
        let indentation = lexError("respond <<EOF\n\tok\n  bad\n\tEOF")
        XCTAssertEqual(indentation?.position?.line, 3)
    }

    func testCommentsOnlyAtTokenStart() throws {
        let output = try CaddyLexer.lex(bytes("foo#bar # a comment\r\n  # own line\nx"), file: "t")
        XCTAssertEqual(output.tokens.map(\.text), ["foo#bar", "x"])
        XCTAssertEqual(output.comments.map(\.text), ["# a comment", "# own line"])
        XCTAssertEqual(output.comments.map(\.line), [1, 2])
        XCTAssertEqual(output.comments.map(\.column), [9, 3])
        XCTAssertEqual(output.comments[0].byteRange, 8..<20, "up to the newline, CR included")
        XCTAssertEqual(texts("\"# not a comment\""), ["# not a comment"])
    }

    func testBraces() {
        let tokens = lex("a {\n\tb {x} \"{\" {$X}\n}")
        XCTAssertEqual(tokens.map(\.kind), [.word, .openBrace, .word, .word, .quoted, .word, .closeBrace])
        XCTAssertEqual(tokens.map(\.text), ["a", "{", "b", "{x}", "{", "{$X}", "}"])
    }

    func testEnvironmentPlaceholdersAreKeptVerbatim() {
        XCTAssertEqual(texts("{$DOMAIN} {$PORT:8080} x{$A:b c}y"), ["{$DOMAIN}", "{$PORT:8080}", "x{$A:b c}y"])
        // `{$}` names nothing and is not a span.
        XCTAssertEqual(texts("{$} a"), ["{$}", "a"])
    }

    func testUnterminatedQuotesAreErrors() {
        let quoted = lexError("a {\n\trespond \"hello\n}\n")
        XCTAssertEqual(quoted?.position, SourcePosition(line: 2, column: 10))
        XCTAssertEqual(quoted?.message, "unterminated quoted string starting here")
        XCTAssertEqual(lexError("x `abc")?.position, SourcePosition(line: 1, column: 3))
    }

    func testByteOrderMarkIsSkipped() {
        let tokens = (try? CaddyLexer.tokenize([0xEF, 0xBB, 0xBF] + bytes("a b"), file: "t")) ?? []
        XCTAssertEqual(tokens.map(\.text), ["a", "b"])
        XCTAssertEqual(tokens.first?.column, 1)
        XCTAssertEqual(tokens.first?.byteRange, 3..<4)
    }

    func testEveryTokenRangeHoldsItsRawText() {
        let input = "a \"b c\" `d` <<E\n x\n E {$V:w z}\n"
        let raw = lex(input).map { text(Array(bytes(input)[$0.byteRange])) }
        XCTAssertEqual(raw, ["a", "\"b c\"", "`d`", "<<E\n x\n E", "{$V:w z}"])
    }

    /// Where the byte-run shortcuts (plain words, plain quoted text, comments) hand back to the full rules.
    func testRunsOfPlainBytesStopWhereARuleApplies() throws {
        XCTAssertEqual(texts("ab{$X:y z}cd e"), ["ab{$X:y z}cd", "e"])
        XCTAssertEqual(texts("x\\<<y z"), ["x<<y", "z"])
        XCTAssertEqual(texts("a\\b\\\\c d"), ["a\\b\\\\c", "d"])
        XCTAssertEqual(texts("\"a\tb é \\\"q\\n\" c"), ["a\tb é \"q\\n", "c"])
        XCTAssertEqual(lex("héllo wörld\u{0085}x").map(\.text), ["héllo", "wörld", "x"])
        XCTAssertEqual(lex("héllo wörld").map(\.column), [1, 7])
        let output = try CaddyLexer.lex(bytes("a # b\\c \u{00A0}d\ne #f\rg\n  h"), file: "t")
        XCTAssertEqual(output.tokens.map(\.text), ["a", "e", "h"])
        XCTAssertEqual(output.tokens.map(\.line), [1, 2, 3])
        XCTAssertEqual(output.comments.map(\.text), ["# b\\c \u{00A0}d", "#f\rg"])
        XCTAssertEqual(output.comments.map(\.line), [1, 2])
    }
}
