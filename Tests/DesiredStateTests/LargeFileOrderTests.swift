import XCTest
import Diagnostics
@testable import DesiredState

/// A large file's services are read over the cores; its problems must be those one pass in file order
/// reports (a duplicate's own problems left out), in the order of their positions.
final class LargeFileOrderTests: XCTestCase {
    /// Service `i` starts on line 3 + 3i: `  name:`, `    host: …`, `    upstream: …`.
    func file(_ count: Int, _ change: (Int) -> (name: String, host: String, upstream: String)?) -> String {
        var text = "domain: example.com\nservices:\n"
        for i in 0..<count {
            let (name, host, upstream) = change(i) ?? ("svc-\(i)", "svc-\(i)", "h:\(10_000 + i)")
            text += "  \(name):\n    \(host)\n    upstream: \(upstream)\n"
        }
        return text
    }

    func testProblemsComeInFileOrder() throws {
        let text = file(1_000) { i in
            switch i {
            case 100: return ("svc-100", "host: svc-100", "h:99999")          // bad port
            case 200: return ("svc-50", "host: other", "no-port")             // a name declared twice: nothing else of it
            case 400: return ("svc-400", "hots: svc-400", "h:1")              // unknown key, then no host
            case 500: return ("svc-500", "host: svc-1", "h:2")                // a host claimed twice
            default: return (name: "svc-\(i)", host: "host: svc-\(i)", upstream: "h:\(10_000 + i)")
            }
        }
        var found: [Diagnostic] = []
        do {
            _ = try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
            XCTFail("expected problems")
        } catch {
            found = error.diagnostics
        }
        let lines = found.map { $0.position?.line ?? 0 }
        XCTAssertEqual(lines, [3 + 300 + 2, 3 + 600, 3 + 1_200, 3 + 1_200 + 1, 3 + 1_500], found.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(found[0].message.contains("1 to 65535"), found[0].message)
        XCTAssertTrue(found[1].message.contains("declared twice"), found[1].message)
        XCTAssertTrue(found[2].message.contains("missing 'host'"), found[2].message)
        XCTAssertTrue(found[3].message.contains("unknown key 'hots'"), found[3].message)
        XCTAssertTrue(found[4].message.contains("both claim the host"), found[4].message)
    }

    func testALargeFileReadsInOrder() throws {
        let state = try DesiredStateParser.parse(Array(file(1_000) { _ in nil }.replacingOccurrences(of: "    svc-", with: "    host: svc-").utf8),
                                                 file: "exposure.yaml")
        XCTAssertEqual(state.services.map(\.name), (0..<1_000).map { "svc-\($0)" })
        XCTAssertEqual(state.services.map(\.upstream.port), (0..<1_000).map { 10_000 + $0 })
    }
}
