import EssentialsExtras
import Foundation
import XCTest

/// EssentialsExtras stands in for full Foundation (issue #24): each helper answers as the Foundation API it
/// replaced, checked here against that API (tests may link full Foundation; the release binary does not).
final class FoundationEquivalenceTests: XCTestCase {
    /// Spaces of every kind, tabs, line and paragraph separators, CR LF (one Character), a combining mark
    /// after a space (one Character whose first scalar is a space), letters that are not spaces.
    let samples = [
        "", " ", "  a  ", "\t a b \t", "\n a \n", "\r\n x \r\n", "\u{00A0}x\u{00A0}", "\u{2003}x\u{3000}",
        "\u{2028}x\u{2029}", "\u{0085}x\u{000B}\u{000C}", " \u{0301}x", "x \u{0301}", "\u{200B}x\u{200B}",
        "\u{FEFF}x", "é", " 12 ", "\n\n", "a\nb", "\u{1680}x\u{202F}\u{205F}",
    ]

    func testTrimmingWhitespaceIsFoundationsWhitespaces() {
        for sample in samples {
            XCTAssertEqual(sample.trimmingWhitespace(), sample.trimmingCharacters(in: .whitespaces), sample.debugDescription)
        }
    }

    func testTrimmingWhitespaceAndNewlinesIsFoundations() {
        for sample in samples {
            XCTAssertEqual(sample.trimmingWhitespaceAndNewlines(), sample.trimmingCharacters(in: .whitespacesAndNewlines),
                           sample.debugDescription)
        }
    }

    func testTrimmingNewlinesIsFoundations() {
        for sample in samples {
            XCTAssertEqual(sample.trimmingScalars(where: \.isNewline), sample.trimmingCharacters(in: .newlines), sample.debugDescription)
        }
    }

    func testEveryScalarClassifiedAsFoundationsCharacterSets() {
        for value in UInt32(0)...0xFFFF { // every White_Space scalar is in the BMP
            guard let scalar = Unicode.Scalar(value) else { continue }
            XCTAssertEqual(scalar.isHorizontalWhitespace, CharacterSet.whitespaces.contains(scalar), "U+\(String(value, radix: 16))")
            XCTAssertEqual(scalar.isNewline, CharacterSet.newlines.contains(scalar), "U+\(String(value, radix: 16))")
            XCTAssertEqual(scalar.isWhitespaceOrNewline, CharacterSet.whitespacesAndNewlines.contains(scalar), "U+\(String(value, radix: 16))")
        }
    }

    func testFixedIsStringFormat() {
        for value in [0, 0.0004, 0.0005, 1.5, 2.25, 10, 1234.5678, -3.14159, 1e20, 0.1 + 0.2] {
            for places in [0, 1, 3] {
                XCTAssertEqual(value.fixed(places: places), String(format: "%.\(places)f", value), "\(value) \(places)")
            }
        }
    }

    func testJSONValueReadsWhatJSONSerializationReads() throws {
        let text = #"{"a": 1, "b": 2.5, "c": "x\/y\u00e9", "d": [true, false, null], "e": {"f": -3, "g": 1e3}, "h": ""}"#
        let value = try XCTUnwrap(JSONValue.parse(Array(text.utf8)))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(value["a"], .integer(1))
        XCTAssertEqual(value["a"]?.double, object["a"] as? Double)
        XCTAssertEqual(value["b"]?.double, object["b"] as? Double)
        XCTAssertEqual(value["c"]?.string, object["c"] as? String)
        XCTAssertEqual(value["d"], .array([.bool(true), .bool(false), .null]))
        XCTAssertEqual(value["e"]?["f"], .integer(-3))
        XCTAssertEqual(value["e"]?["g"]?.double, 1000)
        XCTAssertEqual(value["h"]?.string, "")
        XCTAssertNil(value["missing"])
        XCTAssertNil(value["c"]?["nested"], "a string has no members")
        for bad in ["", "{", "{\"a\":}", "nul", "[1,,2]", "{\"a\" 1}"] {
            XCTAssertNil(JSONValue.parse(Array(bad.utf8)), bad)
            XCTAssertNil(try? JSONSerialization.jsonObject(with: Data(bad.utf8)), bad)
        }
    }

    func testJSONValueWritesWhatJSONSerializationWrites() throws {
        let value: JSONValue = ["status": "ok", "n": 3, "d": 0.125, "t": true, "list": ["a/b", "é\u{1}\"\\\n"], "none": .null,
                                "o": ["z": 1, "a": 2.5]]
        let any: [String: Any] = ["status": "ok", "n": 3, "d": 0.125, "t": true, "list": ["a/b", "é\u{1}\"\\\n"], "none": NSNull(),
                                  "o": ["z": 1, "a": 2.5]]
        for (sorted, slashes, options) in [(true, true, JSONSerialization.WritingOptions.sortedKeys),
                                           (true, false, [.sortedKeys, .withoutEscapingSlashes])] {
            let ours = value.encoded(sortedKeys: sorted, escapingSlashes: slashes)
            let theirs = try JSONSerialization.data(withJSONObject: any, options: options)
            XCTAssertEqual(String(decoding: ours, as: UTF8.self), String(decoding: theirs, as: UTF8.self))
        }
    }

    func testThreadsRunAndAreNamed() {
        let done = Condition()
        nonisolated(unsafe) var name = ""
        nonisolated(unsafe) var finished = false
        Threads.start(name: "reconcile-test-thread-name") {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            done.lock()
            name = comm
            finished = true
            done.broadcast()
            done.unlock()
        }
        done.lock()
        while !finished { done.wait() }
        done.unlock()
        XCTAssertEqual(name, "reconcile-test-\n", "the name as Linux keeps it: 15 bytes")
    }

    func testLockExcludes() {
        let lock = Lock()
        nonisolated(unsafe) var counter = 0
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { lock.withLock { counter += 1 } }
        }
        XCTAssertEqual(counter, 80_000)
    }

    func testSleepWaitsAboutThatLong() {
        let start = ContinuousClock.now
        Threads.sleep(seconds: 0.15)
        let elapsed = ContinuousClock.now - start
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(150))
        XCTAssertLessThan(elapsed, .seconds(2))
    }
}
