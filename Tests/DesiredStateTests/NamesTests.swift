@testable import DesiredState
import XCTest

/// `Names.isHostName` runs bytewise; it must answer exactly as the character-level rules do.
final class NamesTests: XCTestCase {
    func testHostNamesBytewiseAgreeWithCharacters() {
        let label63 = String(repeating: "a", count: 63)
        let names = [
            "", ".", "a", "a.", ".a", "a..b", "example.com", "svc-0.bench.example.com", "host.docker.internal",
            "-a.com", "a-.com", "a.-b", "a.b-", "a-b.c-d", "a_b.com", "_a.com", "A.com", "a b.com", "a/b",
            "xn--bcher-kva.example", "1.2.3.4", "a.b.c.d.e", label63 + ".com", label63 + "a.com",
            String(repeating: "a.", count: 126) + "a", String(repeating: "a.", count: 127) + "a",
            "caf\u{E9}.com", "a.\u{301}b", "a\u{301}.com", "a.com\u{0}", "a:80",
        ]
        for name in names {
            for minLabels in [1, 2, 3] {
                for underscore in [false, true] {
                    XCTAssertEqual(Names.isHostName(name, minLabels: minLabels, allowUnderscore: underscore),
                                   Self.isHostNameByCharacters(name, minLabels: minLabels, allowUnderscore: underscore),
                                   "\(name.debugDescription) minLabels \(minLabels) underscore \(underscore)")
                }
            }
        }
        XCTAssertTrue(Names.isHostName("svc-0.bench.example.com", minLabels: 2))
        XCTAssertFalse(Names.isHostName("a_b.com"))
        XCTAssertTrue(Names.isHostName("a_b.com", allowUnderscore: true))
    }

    /// `isHostName` as it was first written, by characters: the reference the bytewise one must match.
    static func isHostNameByCharacters(_ name: String, minLabels: Int = 1, allowUnderscore: Bool = false) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= minLabels && labels.allSatisfy { Names.isDNSLabel($0, allowUnderscore: allowUnderscore) }
    }
}
