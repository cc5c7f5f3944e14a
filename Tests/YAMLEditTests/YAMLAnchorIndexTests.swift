import XCTest
@testable import YAMLEdit

final class YAMLAnchorIndexTests: XCTestCase {
    private func parse(_ text: String) throws -> YAMLNode {
        try XCTUnwrap(try YAMLDocument.parse(Array(text.utf8), file: "t.yaml").root)
    }

    func testAliasedAnchorsAndResolutionToTheLatestEarlierDefinition() throws {
        let root = try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: &unused 3\n")
        let index = YAMLAnchorIndex(root)
        XCTAssertTrue(index.isAliased("x"))
        XCTAssertFalse(index.isAliased("unused"))
        XCTAssertEqual(index.resolve(try XCTUnwrap(root["b"]))?.scalarValue, "1")
        XCTAssertEqual(index.resolve(try XCTUnwrap(root["d"]))?.scalarValue, "2")
        XCTAssertEqual(index.sharedAnchors(along: [try XCTUnwrap(root["a"]), try XCTUnwrap(root["e"])]), ["x"])
    }

    func testLookupThroughMergeKeysOwnKeyWinsFirstSourceWinsNested() throws {
        let root = try parse("""
        base: &base {k: base, only: here}
        other: &other {k: other, extra: yes}
        deep: &deep {<<: *base, d: deep}
        s1: {<<: *base, k: own}
        s2: {<<: [*other, *base]}
        s3: {<<: *deep}
        s4: {x: 1}
        """)
        let index = YAMLAnchorIndex(root)
        let s1 = try XCTUnwrap(index.lookup("k", in: try XCTUnwrap(root["s1"])))
        XCTAssertEqual(s1.pair.value.scalarValue, "own")
        XCTAssertNil(s1.mergedFrom)
        XCTAssertEqual(index.lookup("k", in: try XCTUnwrap(root["s2"]))?.pair.value.scalarValue, "other")
        let s3 = try XCTUnwrap(index.lookup("only", in: try XCTUnwrap(root["s3"])))
        XCTAssertEqual(s3.pair.value.scalarValue, "here")
        XCTAssertNotNil(s3.mergedFrom)
        XCTAssertNil(index.lookup("k", in: try XCTUnwrap(root["s4"])))
    }

    func testSelfReferentialMergeCannotLoop() throws {
        // An alias can only name an anchor defined before it, so build the deepest legal chain instead.
        var text = "a0: &a0 {v: 1}\n"
        for i in 1...40 { text += "a\(i): &a\(i) {<<: *a\(i - 1)}\n" }
        let root = try parse(text)
        let index = YAMLAnchorIndex(root)
        XCTAssertNil(index.lookup("v", in: try XCTUnwrap(root["a40"])), "deeper than the merge bound")
        XCTAssertEqual(index.lookup("v", in: try XCTUnwrap(root["a10"]))?.pair.value.scalarValue, "1")
    }
}
