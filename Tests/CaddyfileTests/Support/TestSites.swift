import Caddyfile
import Diagnostics
import Foundation
import XCTest

/// Managed sites used across the tests.
enum TestSites {
    static let a = ManagedSite(name: "svc-a", addresses: ["svc-a.reconcile.test"],
                               directives: [CaddyDirective(["reverse_proxy", "127.0.0.1:9001"])])
    /// Nested block, a token that needs quotes and a placeholder that does not.
    static let b = ManagedSite(name: "svc-b", addresses: ["svc-b.reconcile.test"], directives: [
        CaddyDirective(["encode", "gzip"]),
        CaddyDirective(["reverse_proxy", "127.0.0.1:9002"], children: [
            CaddyDirective(["header_up", "X-Reconcile", "on duty"]),
            CaddyDirective(["header_up", "X-Host", "{host}"]),
        ]),
    ])
    static let upstreams = ["svc-a.reconcile.test": "127.0.0.1:9001", "svc-b.reconcile.test": "127.0.0.1:9002"]
    static var hosts: Set<String> { Set(upstreams.keys) }

    static func proxy(_ name: String, _ host: String, _ upstream: String) -> ManagedSite {
        ManagedSite(name: name, addresses: [host], directives: [CaddyDirective(["reverse_proxy", upstream])])
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Parses, failing the test (not crashing) on a diagnostic.
func parse(_ input: [UInt8], file: String = "Caddyfile", _ message: String = "", line: UInt = #line) -> CaddyfileDocument? {
    do {
        return try CaddyfileDocument.parse(input, file: file)
    } catch {
        XCTFail("parse failed \(message): \(error)", line: line)
        return nil
    }
}

func apply(_ document: CaddyfileDocument, _ desired: [ManagedSite], line: UInt = #line) -> CaddyfileEdit? {
    do {
        return try CaddyfileEditor.apply(document, desired: desired)
    } catch {
        XCTFail("apply failed for \(document.file): \(error)", line: line)
        return nil
    }
}

/// The diagnostic thrown by `body`, or a failure if it did not throw one.
func diagnostic<T>(line: UInt = #line, _ body: () throws(Diagnostic) -> T) -> Diagnostic? {
    do {
        _ = try body()
        XCTFail("expected a diagnostic", line: line)
        return nil
    } catch {
        return error
    }
}

/// The bytes outside managed blocks, in order, one chunk per gap.
func unmanagedChunks(_ document: CaddyfileDocument) -> [ArraySlice<UInt8>] {
    var chunks: [ArraySlice<UInt8>] = []
    var cursor = 0
    for block in document.managedBlocks {
        chunks.append(document.bytes[cursor..<block.byteRange.lowerBound])
        cursor = block.byteRange.upperBound
    }
    chunks.append(document.bytes[cursor...])
    return chunks
}

/// Every byte outside the managed blocks of `original` appears in `result`, in order, each gap
/// as one contiguous run: an independent check, not using the editor. When `removed` managed
/// blocks were removed, each may also take one adjacent blank line with it (the separator the
/// editor added), so then the gaps are compared without their blank lines, and at most
/// `removed` blank lines may be missing.
func assertUnmanagedBytesSurvive(_ original: CaddyfileDocument, in result: [UInt8], removed: Int = 0,
                                 _ message: String = "", line: UInt = #line) {
    func findInOrder(_ chunks: [[UInt8]], in haystack: [UInt8]) -> [UInt8]? {
        var from = 0
        for chunk in chunks where !chunk.isEmpty {
            guard let found = indexOf(chunk[...], in: haystack, from: from) else { return chunk }
            from = found + chunk.count
        }
        return nil
    }
    let chunks = unmanagedChunks(original).map(Array.init)
    guard let missing = findInOrder(chunks, in: result) else { return }
    guard removed > 0 else {
        return XCTFail("unmanaged bytes lost \(message): \(text(missing).debugDescription)", line: line)
    }
    if let stillMissing = findInOrder(chunks.map(withoutBlankLines), in: withoutBlankLines(result)) {
        return XCTFail("unmanaged bytes lost \(message): \(text(stillMissing).debugDescription)", line: line)
    }
    guard let after = try? CaddyfileDocument.parse(result, file: original.file) else {
        return XCTFail("result does not parse \(message)", line: line)
    }
    let lost = blankLines(chunks.flatMap { $0 }) - blankLines(unmanagedChunks(after).flatMap { $0 })
    XCTAssertLessThanOrEqual(lost, removed, "more blank lines lost than blocks removed \(message)", line: line)
}

/// The lines holding only whitespace, dropped.
func withoutBlankLines(_ bytes: [UInt8]) -> [UInt8] {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        .filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        .map(Array.init).joined(separator: [0x0A]).map { $0 }
}

func blankLines(_ bytes: [UInt8]) -> Int {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        .filter { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.count
}

func indexOf(_ needle: ArraySlice<UInt8>, in haystack: [UInt8], from: Int) -> Int? {
    guard needle.count <= haystack.count - from else { return nil }
    let first = needle.first!
    var i = from
    while i + needle.count <= haystack.count {
        if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        i += 1
    }
    return nil
}

/// The lines where two texts start to differ, with a little context (for failure messages).
func lineDiff(_ expected: String, _ actual: String, context: Int = 4) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var first = 0
    while first < min(a.count, b.count) && a[first] == b[first] { first += 1 }
    var lastA = a.count, lastB = b.count
    while lastA > first && lastB > first && a[lastA - 1] == b[lastB - 1] { lastA -= 1; lastB -= 1 }
    let from = max(0, first - context)
    var out = a[from..<first].map { "  " + $0 }
    out += a[first..<lastA].map { "- " + $0 }
    out += b[first..<lastB].map { "+ " + $0 }
    out += b[lastB..<min(b.count, lastB + context)].map { "  " + $0 }
    return out.joined(separator: "\n")
}
