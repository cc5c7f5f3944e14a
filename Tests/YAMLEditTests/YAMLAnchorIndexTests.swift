import XCTest
@testable import YAMLEdit

final class YAMLAnchorIndexTests: XCTestCase {
    private func parse(_ text: String) throws -> (YAMLAnchorIndex, YAMLNode) {
        let document = try YAMLDocument.parse(Array(text.utf8), file: "t.yaml")
        return (YAMLAnchorIndex(document), try XCTUnwrap(document.root))
    }

    func testAliasedAnchorsAndResolutionToTheLatestEarlierDefinition() throws {
        let (index, root) = try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: &unused 3\n")
        XCTAssertTrue(index.isAliased("x"))
        XCTAssertFalse(index.isAliased("unused"))
        XCTAssertEqual(index.sharedAnchors(inside: root), ["x"], "defined twice, named once")
        XCTAssertEqual(index.resolve(try XCTUnwrap(root["b"]))?.scalarValue, "1")
        XCTAssertEqual(index.resolve(try XCTUnwrap(root["d"]))?.scalarValue, "2")
        XCTAssertEqual(index.sharedAnchors(along: [try XCTUnwrap(root["a"]), try XCTUnwrap(root["e"])]), ["x"])
    }

    func testAnchorsAliasesAndMergeKeys() throws {
        let text = "base: &b\n  x: &inner 1\nuse: *b\nother:\n  <<: *b\n"
        let (index, root) = try parse(text)
        XCTAssertEqual(index.sharedAnchors(inside: try XCTUnwrap(root["base"])), ["b"], "&inner is defined inside but not used")
        XCTAssertTrue(index.isAliased("b"))
        XCTAssertFalse(index.isAliased("inner"))
        XCTAssertTrue(YAMLAnchorIndex.containsMergeKey(try XCTUnwrap(root["other"])))
        XCTAssertFalse(YAMLAnchorIndex.containsMergeKey(try XCTUnwrap(root["base"])))
        let (both, bothRoot) = try parse(text + "again: *inner\n")
        XCTAssertEqual(both.sharedAnchors(inside: try XCTUnwrap(bothRoot["base"])), ["b", "inner"], "file order, nested anchors included")
        XCTAssertTrue(YAMLAnchorIndex.containsMergeKey(try XCTUnwrap(try parse("a:\n  b:\n    <<: {c: 1}\n").1["a"])), "found at any depth")
    }

    func testAliasesCountAcrossDocumentsButResolveWithinTheirOwn() throws {
        let document = try YAMLDocument.parse(Array("a: &x 1\n---\nb: *x\n---\nc: &x 2\nd: *x\n".utf8), file: "t.yaml")
        let index = YAMLAnchorIndex(document)
        XCTAssertTrue(index.isAliased("x"))
        XCTAssertNil(index.resolve(try XCTUnwrap(document.documents[1]["b"])), "no &x in the second document")
        XCTAssertEqual(index.resolve(try XCTUnwrap(document.documents[2]["d"]))?.scalarValue, "2")
    }

    func testLookupThroughMergeKeysOwnKeyWinsFirstSourceWinsNested() throws {
        let (index, root) = try parse("""
        base: &base {k: base, only: here}
        other: &other {k: other, extra: yes}
        deep: &deep {<<: *base, d: deep}
        s1: {<<: *base, k: own}
        s2: {<<: [*other, *base]}
        s3: {<<: *deep}
        s4: {x: 1}
        """)
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
        let (index, root) = try parse(text)
        XCTAssertNil(index.lookup("v", in: try XCTUnwrap(root["a40"])), "deeper than the merge bound")
        XCTAssertEqual(index.lookup("v", in: try XCTUnwrap(root["a10"]))?.pair.value.scalarValue, "1")
    }
}
